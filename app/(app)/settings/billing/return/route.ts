import { NextResponse, type NextRequest } from "next/server";
import { memberContext, type MemberViewer } from "@/lib/auth";
import { getViewer } from "@/lib/auth/next";
import { finishCheckout } from "@/lib/billing";
import { appUrl } from "@/lib/env";
import { isAppError } from "@/lib/http";
import { logger } from "@/lib/observability";

/** Only our own pages: a path, never another host (`//evil`, `/\evil`). */
function safeNext(value: string | null): string {
  return value && /^\/(?![/\\])[\w\-/?=&.%]*$/.test(value) ? value : "/settings/billing";
}

function withParam(path: string, param: string) {
  return `${path}${path.includes("?") ? "&" : "?"}${param}`;
}

/**
 * Stripe Checkout's success URL. Converges the org with Stripe right away (the webhook may
 * still be on its way) and sends the customer back where they started.
 */
export async function GET(request: NextRequest) {
  const next = safeNext(request.nextUrl.searchParams.get("next"));
  const sessionId = request.nextUrl.searchParams.get("session_id") ?? "";
  const viewer = await getViewer();
  if (!viewer)
    return NextResponse.redirect(
      `${appUrl()}/sign-in?callbackUrl=${encodeURIComponent(request.nextUrl.pathname + request.nextUrl.search)}`,
      303,
    );
  if (!viewer.org) return NextResponse.redirect(`${appUrl()}/no-organization`, 303);
  let outcome = "checkout=success";
  try {
    const result = await finishCheckout(memberContext(viewer as MemberViewer), sessionId);
    if (!result.complete) outcome = "checkout=pending";
  } catch (error) {
    // Not found, or Stripe unreachable: the webhook will still apply the purchase.
    if (!isAppError(error) || error.status >= 500)
      logger.error({ err: error, orgId: viewer.org.id }, "checkout return failed");
    outcome = isAppError(error) && error.code === "not_found" ? "checkout=unknown" : "checkout=pending";
  }
  return NextResponse.redirect(`${appUrl()}${withParam(next, outcome)}`, 303);
}
