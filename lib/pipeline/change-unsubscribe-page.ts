import { unsubscribePageShell as page } from "@/lib/alerts";
import { appUrl } from "@/lib/env";
import type { ChangeEmailsTarget } from "./change-unsubscribe";

// The small pages behind a "what changed" e-mail's unsubscribe link: plain HTML, no scripts, for
// someone who is not signed in.

const settings = () => `<a href="${appUrl()}/settings/account">Settings → Account</a>`;

/** GET: asks before acting, because mail scanners open links on their own. */
export function changeUnsubscribePage(target: ChangeEmailsTarget): string {
  if (!target.subscribed)
    return page(
      "Already unsubscribed",
      `<p>You no longer receive “what changed” e-mails. Turn them back on at ${settings()}.</p>`,
    );
  return page(
    "Stop “what changed” e-mails?",
    `<p>You will stop receiving e-mails about changes to the notices your teams track or your alerts sent, in every organisation you belong to. Alerts and deadline reminders are not affected, and you can turn them back on at ${settings()}.</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit" style="font:inherit;padding:8px 16px;border-radius:6px;border:0;background:#3730a3;color:#fff;cursor:pointer">Unsubscribe</button>
</form>`,
  );
}

/** POST from a browser (the confirmation page's button). */
export function changeUnsubscribedPage(): string {
  return page(
    "Unsubscribed",
    `<p>You will no longer receive “what changed” e-mails. Turn them back on at ${settings()}.</p>`,
  );
}
