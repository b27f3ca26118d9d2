// Browser-facing protections: security headers on every page, cookie flags, and sign-in
// destinations that can never leave the site.
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import * as authRoute from "@/app/api/auth/[...nextauth]/route";
import { currentOrgCookieOptions, safeReturnPath, sessionCookieName, sessionCookieOptions } from "@/lib/auth";
import { describeOnOneDatabase } from "@/tests/db";
import { withTestEnv } from "@/tests/env";

const EVIL_DESTINATIONS = [
  "https://evil.example",
  "http://evil.example/dashboard",
  "//evil.example",
  "///evil.example",
  "/\\evil.example",
  "/\\/evil.example",
  "\\\\evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "evil.example",
  " https://evil.example",
  "",
];

describe("security headers (next.config.ts headers())", () => {
  it("every path gets CSP frame-ancestors, X-Frame-Options, nosniff, a Referrer-Policy and HSTS", async () => {
    const rules = await nextConfig.headers!();
    const all = rules.find((r) => r.source === "/:path*");
    const headers = Object.fromEntries((all?.headers ?? []).map((h) => [h.key.toLowerCase(), h.value]));
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["strict-transport-security"]).toMatch(/^max-age=\d{7,}/);
    const csp = headers["content-security-policy"] ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(nextConfig.poweredByHeader).toBe(false);
  });
});

describe("safeReturnPath", () => {
  it.each(EVIL_DESTINATIONS)("refuses %j", (value) => {
    expect(safeReturnPath(value)).toBe("/dashboard");
  });

  it("keeps same-site paths with their query", () => {
    expect(safeReturnPath("/alerts?tab=paused#x")).toBe("/alerts?tab=paused#x");
    expect(safeReturnPath("/settings/billing", "/x")).toBe("/settings/billing");
  });
});

describe("cookies on an https deployment", () => {
  withTestEnv({ APP_URL: "https://beacon.example" });

  it("the session cookie is __Secure-, HttpOnly, SameSite=Lax, Secure; so is the current-org cookie", () => {
    expect(sessionCookieName()).toBe("__Secure-authjs.session-token");
    expect(sessionCookieOptions(new Date())).toMatchObject({
      httpOnly: true,
      sameSite: "lax",
      secure: true,
      path: "/",
    });
    expect(currentOrgCookieOptions()).toMatchObject({ httpOnly: true, sameSite: "lax", secure: true, path: "/" });
  });
});

describe("cookies on plain http (local development)", () => {
  withTestEnv({ APP_URL: "http://localhost:3000" });

  it("HttpOnly and SameSite stay; Secure is off so the browser keeps them on http://localhost", () => {
    expect(sessionCookieName()).toBe("authjs.session-token");
    expect(sessionCookieOptions(new Date())).toMatchObject({ httpOnly: true, sameSite: "lax", secure: false });
    expect(currentOrgCookieOptions()).toMatchObject({ httpOnly: true, sameSite: "lax", secure: false });
  });
});

describeOnOneDatabase("Auth.js over https: cookie flags and callback URLs", () => {
  withTestEnv({ APP_URL: "https://beacon.example" });

  function setCookies(response: Response) {
    return response.headers.getSetCookie();
  }

  it("every cookie Auth.js sets is HttpOnly, Secure and SameSite=Lax", async () => {
    const csrf = await authRoute.GET(new NextRequest("https://beacon.example/api/auth/csrf"));
    expect(csrf.status).toBe(200);
    const signin = await authRoute.GET(new NextRequest("https://beacon.example/api/auth/signin?callbackUrl=%2Falerts"));
    const cookies = [...setCookies(csrf), ...setCookies(signin)];
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/^__(Host|Secure)-authjs\./);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    }
  });

  it.each(EVIL_DESTINATIONS.filter((d) => d !== ""))(
    "a sign-in with callbackUrl=%j stays on the site",
    async (destination) => {
      const response = await authRoute.GET(
        new NextRequest(`https://beacon.example/api/auth/signin?callbackUrl=${encodeURIComponent(destination)}`),
      );
      expect(response.status).toBeLessThan(500);
      // Auth.js sends GET /signin on to Beacon's own sign-in page, carrying the callback along.
      const location = response.headers.get("location");
      expect(location).toMatch(/\/sign-in/);
      if (location) expect(new URL(location, "https://beacon.example").origin).toBe("https://beacon.example");
      // Where Auth.js will send the browser after sign-in: its callback-url cookie.
      const remembered = setCookies(response).find((c) => c.includes("callback-url="));
      if (remembered) {
        const value = decodeURIComponent(/callback-url=([^;]*)/.exec(remembered)![1]!);
        expect(new URL(value, "https://beacon.example").origin).toBe("https://beacon.example");
      }
      expect(`${location ?? ""} ${setCookies(response).join(" ")}`).not.toMatch(/evil\.example|javascript:|data:text/i);
    },
  );
});
