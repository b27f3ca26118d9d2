import { route } from "./route";

// The token in the URL is the credential (the recipient is not signed in): the pages are never
// cached, never framed, and send no referrer.
const HTML_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "private, no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

/** What one kind of e-mail needs for its unsubscribe link: the lookup, the change and the pages. */
export interface OneClickUnsubscribe<Target, Done> {
  /** What the token stops (a 404 AppError for a forged one); changes nothing. */
  describe: (token: string) => Promise<Target>;
  confirmPage: (target: Target) => string;
  /** Stops the e-mails; repeating it changes nothing. */
  unsubscribe: (token: string) => Promise<Done>;
  donePage: (done: Done) => string;
  /** The JSON answer to a mail client's one-click POST. */
  answer: (done: Done) => unknown;
}

/**
 * The GET and POST of an unsubscribe link, written once for every kind of e-mail. GET shows a
 * confirmation page with a button (mail scanners prefetch GETs, so a GET never unsubscribes);
 * POST is RFC 8058's one-click (`List-Unsubscribe=One-Click`) and the page's button.
 */
export function oneClickUnsubscribeRoutes<Target, Done>(spec: OneClickUnsubscribe<Target, Done>) {
  const tokenOf = (params: Record<string, string | string[]>) => String(params.token ?? "");
  return {
    GET: route(async ({ params }) => {
      const target = await spec.describe(tokenOf(params));
      return new Response(spec.confirmPage(target), { headers: HTML_HEADERS });
    }),
    POST: route(async ({ params, request }) => {
      const done = await spec.unsubscribe(tokenOf(params));
      if ((request.headers.get("accept") ?? "").includes("text/html"))
        return new Response(spec.donePage(done), { headers: HTML_HEADERS });
      return { body: spec.answer(done) };
    }),
  };
}
