import { escapeHtml } from "@/lib/opportunities";
import type { UnsubscribeTarget } from "./unsubscribe";

// The small pages behind an alert e-mail's unsubscribe link. Plain HTML from the route handler:
// the link must work for someone who is not signed in, on any device, without scripts.

/** The shell of these pages (and of the "what changed" unsubscribe pages, lib/pipeline). */
export function page(title: string, body: string) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · Beacon</title></head>
<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:16px;line-height:1.5;color:#0f172a;max-width:480px;margin:48px auto;padding:0 16px">
<h1 style="font-size:22px">${escapeHtml(title)}</h1>
${body}
</body></html>`;
}

/** GET: asks before acting, because mail scanners open links on their own. */
function named(target: UnsubscribeTarget) {
  const names = target.alerts.map((a) => `“${escapeHtml(a.name)}”`);
  return names.length === 1 ? `the alert ${names[0]}` : `the alerts ${names.join(", ")}`;
}

export function unsubscribeConfirmPage(target: UnsubscribeTarget): string {
  if (target.paused)
    return page(
      "Already unsubscribed",
      `<p>No e-mails are sent for ${named(target)}. A member of your team can resume them on the Alerts page.</p>`,
    );
  return page(
    "Unsubscribe?",
    `<p>You will stop receiving e-mails for ${named(target)}. Other alerts are not affected, and a member of your team can resume them on the Alerts page.</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit" style="font:inherit;padding:8px 16px;border-radius:6px;border:0;background:#3730a3;color:#fff;cursor:pointer">Unsubscribe</button>
</form>`,
  );
}

/** POST from a browser (the confirmation page's button). */
export function unsubscribedPage(target: UnsubscribeTarget): string {
  return page(
    "Unsubscribed",
    `<p>You will no longer receive e-mails for ${named(target)}. A member of your team can resume them on the Alerts page.</p>`,
  );
}
