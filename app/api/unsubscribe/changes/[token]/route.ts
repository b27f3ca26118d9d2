import { route } from "@/lib/http";
import {
  changeUnsubscribedPage,
  changeUnsubscribePage,
  describeChangeUnsubscribe,
  unsubscribeChangeEmails,
} from "@/lib/pipeline";

export const dynamic = "force-dynamic";

// The token in the URL is the credential (the recipient is not signed in); see lib/pipeline/change-unsubscribe.ts.
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
  const target = await describeChangeUnsubscribe(String(params.token ?? ""));
  return new Response(changeUnsubscribePage(target), { headers: HTML_HEADERS });
});

/**
 * RFC 8058 one-click unsubscribe (a mail client POSTs `List-Unsubscribe=One-Click`), and the
 * confirmation page's button: the recipient's "what changed" e-mails stop; repeating it changes nothing.
 */
export const POST = route(async ({ params, request }) => {
  await unsubscribeChangeEmails(String(params.token ?? ""));
  if ((request.headers.get("accept") ?? "").includes("text/html"))
    return new Response(changeUnsubscribedPage(), { headers: HTML_HEADERS });
  return { body: { status: "unsubscribed", change_emails: false } };
});
