import "server-only";
import { cookies } from "next/headers";
import { appUrl, isProduction } from "@/lib/env";
import { BREAK_GLASS_COOKIE, cockpitWriteState } from "@/lib/ops";

/**
 * The cockpit keeps a break-glass token in an HttpOnly, SameSite=Strict cookie scoped to /admin:
 * scripts cannot read it, other sites cannot make the browser send it, and the customer app
 * never receives it. Server actions honour it (lib/ops/commands) as the API honours X-Break-Glass-Token.
 */
export async function readBreakGlassCookie() {
  return (await cookies()).get(BREAK_GLASS_COOKIE)?.value ?? null;
}

export async function setBreakGlassCookie(token: string, expires: Date) {
  (await cookies()).set(BREAK_GLASS_COOKIE, token, {
    httpOnly: true,
    sameSite: "strict",
    secure: isProduction() || appUrl().startsWith("https://"),
    path: "/admin",
    expires,
  });
}

export async function clearBreakGlassCookie() {
  (await cookies()).set(BREAK_GLASS_COOKIE, "", {
    httpOnly: true,
    sameSite: "strict",
    secure: isProduction() || appUrl().startsWith("https://"),
    path: "/admin",
    maxAge: 0,
  });
}

/** Whether this operator may write from the cockpit right now (incident mode, break-glass). */
export async function cockpitWriteStateFor(operatorId: string) {
  return cockpitWriteState(operatorId, await readBreakGlassCookie());
}
