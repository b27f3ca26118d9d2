import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/authjs";
import { magicLinkRateLimitResponse } from "@/lib/auth/magic-link-limit";

export const { GET } = handlers;

/** Magic-link requests over HTTP count against the same limits as the sign-in form's. */
export async function POST(request: NextRequest) {
  return (await magicLinkRateLimitResponse(request)) ?? handlers.POST(request);
}
