import type { NextConfig } from "next";

// No script-src/style-src here: Next.js inlines its bootstrap scripts, and a nonce-based policy
// would make every page dynamic. This policy covers what needs no nonce: no framing (clickjacking),
// no plugins, no <base> hijacking. (No form-action: billing actions redirect to Stripe Checkout,
// whose host differs per environment, and browsers apply form-action to that redirect.)
const contentSecurityPolicy = ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'"].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

const nextConfig: NextConfig = {
  // PGlite ships WASM + data files that must load from node_modules, not a bundle.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "pg", "@node-rs/argon2", "pino"],
  poweredByHeader: false,
  // CI (.ci/run) type-checks the whole project before it builds; the build need not do it again.
  typescript: { ignoreBuildErrors: process.env.BEACON_TYPES_CHECKED === "1" },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
