import type { NextConfig } from "next";
import { SECURITY_HEADERS } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  // PGlite ships WASM + data files that must load from node_modules, not a bundle.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "pg", "@node-rs/argon2", "pino"],
  poweredByHeader: false,
  // CI (.ci/run) type-checks the whole project before it builds; the build need not do it again.
  typescript: { ignoreBuildErrors: process.env.BEACON_TYPES_CHECKED === "1" },
  async headers() {
    return [{ source: "/:path*", headers: [...SECURITY_HEADERS] }];
  },
};

export default nextConfig;
