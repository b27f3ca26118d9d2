// No script-src/style-src here: Next.js inlines its bootstrap scripts, and a nonce-based policy
// would make every page dynamic. This policy covers what needs no nonce: no framing (clickjacking),
// no plugins, no <base> hijacking. (No form-action: billing actions redirect to Stripe Checkout,
// whose host differs per environment, and browsers apply form-action to that redirect.)
const contentSecurityPolicy = ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'"].join("; ");

/**
 * Headers on every answer: next.config.ts gives them to everything Next.js serves, and the public
 * API and the webhook served before Next.js (lib/http/before-next.ts) add them themselves. No imports:
 * next.config.ts loads this file on its own.
 */
export const SECURITY_HEADERS: readonly { key: string; value: string }[] = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];
