import { describeUnsubscribe, unsubscribeAlert, unsubscribeConfirmPage, unsubscribedPage } from "@/lib/alerts";
import { route } from "@/lib/http";

export const dynamic = "force-dynamic";

// The token in the URL is the credential (the recipient is not signed in); see lib/alerts/unsubscribe.ts.
const HTML_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "private, no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

/** A confirmation page with a button: mail scanners prefetch GETs, so a GET never unsubscribes. */
export const GET = route(async ({ params }) => {
  const target = await describeUnsubscribe(String(params.token ?? ""));
  return new Response(unsubscribeConfirmPage(target), { headers: HTML_HEADERS });
});

/**
 * RFC 8058 one-click unsubscribe (a mail client POSTs `List-Unsubscribe=One-Click`), and the
 * confirmation page's button. Pauses the alert; repeating it changes nothing.
 */
export const POST = route(async ({ params, request }) => {
  const target = await unsubscribeAlert(String(params.token ?? ""));
  if ((request.headers.get("accept") ?? "").includes("text/html"))
    return new Response(unsubscribedPage(target), { headers: HTML_HEADERS });
  return { body: { alert_ids: target.alerts.map((a) => a.id), status: "unsubscribed" } };
});
