import { NextRequest } from "next/server";
import { safeReturnPath } from "../return-path";

const CALLBACK_COOKIES = ["authjs.callback-url", "__Secure-authjs.callback-url"];

/** What Auth.js accepts as a callback URL (its own check): an absolute http(s) URL or a path. */
function authjsAcceptsCallback(value: string, origin: string) {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

/**
 * Auth.js answers 500 "server configuration" when a request carries a `callbackUrl` query
 * parameter or callback-url cookie it cannot parse — both are client input. Before it sees the
 * request: the parameter becomes a same-site path (lib/auth/return-path, so no open redirect
 * either), and an unparseable cookie is dropped (Auth.js sets that cookie itself, so a bad
 * one only comes from a client).
 */
export function sanitizeAuthRequest(request: NextRequest): NextRequest {
  const url = new URL(request.url);
  let changed = false;
  const callbacks = url.searchParams.getAll("callbackUrl");
  if (callbacks.length > 0) {
    const safe = safeReturnPath(callbacks[0]);
    if (callbacks.length !== 1 || safe !== callbacks[0]) {
      url.searchParams.set("callbackUrl", safe);
      changed = true;
    }
  }
  const headers = new Headers(request.headers);
  const cookie = headers.get("cookie");
  if (cookie) {
    const kept = cookie.split(";").filter((part) => {
      const index = part.indexOf("=");
      const name = (index < 0 ? part : part.slice(0, index)).trim();
      if (!CALLBACK_COOKIES.includes(name)) return true;
      let value = part.slice(index + 1).trim();
      try {
        value = decodeURIComponent(value);
      } catch {
        return false;
      }
      return authjsAcceptsCallback(value, url.origin);
    });
    if (kept.length !== cookie.split(";").length) {
      headers.set("cookie", kept.join(";"));
      changed = true;
    }
  }
  if (!changed) return request;
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  return new NextRequest(url, {
    method: request.method,
    headers,
    body: hasBody ? request.body : undefined,
    duplex: "half",
  } as ConstructorParameters<typeof NextRequest>[1]);
}
