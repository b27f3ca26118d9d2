import { randomUUID } from "node:crypto";
import { inArray } from "drizzle-orm";
import { db } from "@/db/client";
import { sessions } from "@/db/schema";
import { createOperator, createSession, sessionCookieName } from "@/lib/auth";

export const TEST_BASE_URL = "http://localhost:3000";

export type RouteHandler = (
  request: Request,
  context?: { params: Promise<Record<string, string>> },
) => Promise<Response>;

/**
 * Calls a route handler the way Next.js does: a real Request, the route params, an optional
 * cookie and JSON body. `raw` sends bytes as they are (with `headers` choosing the Content-Type),
 * `params` gives routes other params than `id` (catch-alls take arrays).
 */
export function callRoute(
  handler: RouteHandler,
  init: {
    path: string;
    method?: string;
    cookie?: string;
    id?: string;
    body?: unknown;
    raw?: string | Uint8Array;
    headers?: Record<string, string>;
    params?: Record<string, string | string[]>;
  },
) {
  const headers: Record<string, string> = init.cookie ? { cookie: init.cookie } : {};
  if (init.body !== undefined) headers["content-type"] = "application/json";
  Object.assign(headers, init.headers);
  const body = init.raw !== undefined ? init.raw : init.body === undefined ? undefined : JSON.stringify(init.body);
  const request = new Request(`${TEST_BASE_URL}${init.path}`, {
    method: init.method ?? "GET",
    headers,
    body: body as BodyInit | undefined,
  });
  const params = { ...(init.id === undefined ? {} : { id: init.id }), ...init.params } as Record<string, string>;
  return handler(request, { params: Promise.resolve(params) });
}

export async function sessionCookieFor(userId: string) {
  return `${sessionCookieName()}=${(await createSession(userId)).sessionToken}`;
}

/**
 * One operator per role with a session that passed its TOTP check (lib/auth/mfa.test.ts tests
 * the check itself), plus `unverified`: an ops_admin session without it.
 */
export async function operatorCookies() {
  const cookies: Record<"ops_admin" | "ops_support" | "ops_viewer" | "unverified", string> = {
    ops_admin: "",
    ops_support: "",
    ops_viewer: "",
    unverified: "",
  };
  const verified: string[] = [];
  for (const role of ["ops_admin", "ops_support", "ops_viewer"] as const) {
    const op = await createOperator({
      email: `${role}-${randomUUID().slice(0, 8)}@beacon.test`,
      password: "correct horse battery staple 42",
      role,
    });
    const { sessionToken } = await createSession(op.userId);
    verified.push(sessionToken);
    cookies[role] = `${sessionCookieName()}=${sessionToken}`;
    if (role === "ops_admin") cookies.unverified = await sessionCookieFor(op.userId);
  }
  await db().update(sessions).set({ mfaVerifiedAt: new Date() }).where(inArray(sessions.sessionToken, verified));
  return cookies;
}
