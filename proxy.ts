import { NextResponse, type NextRequest } from "next/server";
// Inner files rather than lib/http's index: the proxy bundle stays free of the logger and the database.
import { ADMIN_NETWORK_REFUSED, adminNetworkAllowed } from "@/lib/http/admin-network";
import { problemResponse } from "@/lib/http/problem";
import { newRequestId } from "@/lib/http/request-id";

/**
 * Admin network guard (ADMIN_IP_ALLOWLIST_CIDRS): the cockpit, its server actions and the
 * operator API answer 403 to any other network before anything else runs. Proxy runs on the
 * Node.js runtime, in the process whose HTTP server appended the TCP peer to X-Forwarded-For
 * (lib/http/socket-peer), so the trusted-proxy rules see the same header as route handlers.
 */
export function proxy(request: NextRequest) {
  if (adminNetworkAllowed(request.headers)) return NextResponse.next();
  if (request.nextUrl.pathname.startsWith("/api/")) return problemResponse("forbidden", ADMIN_NETWORK_REFUSED, newRequestId());
  return new NextResponse("<!doctype html><title>403 Forbidden</title><h1>403 Forbidden</h1><p>The Beacon cockpit is not available from this network.</p>", {
    status: 403,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

export const config = { matcher: ["/admin", "/admin/:path*", "/api/admin", "/api/admin/:path*"] };
