import { errorResponse, requestIdFrom } from "@/lib/http";
import { clientIpOf, enforceAuthRateLimit } from "@/lib/ratelimit";
import { emailSchema } from "../schemas";

/** The address a POST to Auth.js's e-mail sign-in asks a link for (form or JSON body). */
async function requestedEmail(request: Request): Promise<string | undefined> {
  try {
    const copy = request.clone();
    const type = request.headers.get("content-type") ?? "";
    const value = type.includes("application/json")
      ? ((await copy.json()) as { email?: unknown })?.email
      : (await copy.formData()).get("email");
    const parsed = emailSchema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  } catch {
    // Unreadable body: Auth.js refuses it too; the per-IP limit still counted it.
    return undefined;
  }
}

/**
 * The magic-link form limits itself (lib/auth/limited-forms), but Auth.js also accepts
 * `POST /api/auth/signin/email` directly, so that path is limited the same way. Answers the
 * 429 Problem+JSON to send, or undefined to let Auth.js handle the request.
 */
export async function magicLinkRateLimitResponse(request: Request): Promise<Response | undefined> {
  const { pathname } = new URL(request.url);
  if (request.method !== "POST" || !/\/signin\/email\/?$/.test(pathname)) return undefined;
  try {
    await enforceAuthRateLimit("magic-link", { ip: clientIpOf(request.headers), email: await requestedEmail(request) });
    return undefined;
  } catch (error) {
    return errorResponse(error, requestIdFrom(request.headers), request);
  }
}
