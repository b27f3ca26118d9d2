import type { NextRequest } from "next/server";
import { handlers, magicLinkRateLimitResponse, sanitizeAuthRequest } from "@/lib/auth/authjs";

export async function GET(request: NextRequest) {
  return handlers.GET(sanitizeAuthRequest(request));
}

/** Magic-link requests over HTTP count against the same limits as the sign-in form's. */
export async function POST(request: NextRequest) {
  return (await magicLinkRateLimitResponse(request)) ?? handlers.POST(sanitizeAuthRequest(request));
}
