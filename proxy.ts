import { NextResponse, type NextRequest } from "next/server";
import {
  ADMIN_NETWORK_REFUSED,
  REQUEST_PATH_HEADER,
  adminNetworkAllowed,
  problemResponse,
  requestIdFrom,
} from "@/lib/http/proxy";

const isAdminPath = (pathname: string) => /^\/(?:api\/)?admin(?:\/|$)/.test(pathname);

/**
 * Every page, server action and operator request gets its request id here (the client's
 * well-formed X-Request-Id, or a new one), passed on to the app as a request header (server
 * actions read it through lib/http's `incomingRequest`) and sent back as X-Request-Id.
 *
 * Admin network guard (ADMIN_IP_ALLOWLIST_CIDRS): the cockpit, its server actions and the
 * operator API answer 403 to any other network before anything else runs. Proxy runs on the
 * Node.js runtime, in the process whose HTTP server appended the TCP peer to X-Forwarded-For
 * (lib/http/socket-peer), so the trusted-proxy rules see the same header as route handlers.
 * Server actions and the operator API check the allowlist again themselves.
 */
export function proxy(request: NextRequest) {
  const requestId = requestIdFrom(request.headers);
  const pathname = request.nextUrl.pathname;
  if (isAdminPath(pathname) && !adminNetworkAllowed(request.headers)) {
    if (pathname.startsWith("/api/")) return problemResponse("forbidden", ADMIN_NETWORK_REFUSED, requestId);
    return new NextResponse(
      "<!doctype html><title>403 Forbidden</title><h1>403 Forbidden</h1><p>The Beacon cockpit is not available from this network.</p>",
      {
        status: 403,
        headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-request-id": requestId },
      },
    );
  }
  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);
  headers.set(REQUEST_PATH_HEADER, pathname);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  return response;
}

// Not the metered API, the webhooks or Inngest (hot paths whose route() wrapper makes its own
// id), nor static files.
export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon\\.ico|api/v1/|api/webhooks/|api/inngest).*)"],
};
