import { newRequestId, requestIdFrom } from "./request-id";

/** Set by proxy.ts on every page and server-action request: the path asked for. */
export const REQUEST_PATH_HEADER = "x-beacon-path";

export interface IncomingRequest {
  requestId: string;
  /** Null outside a Next.js request (a test, a script). */
  headers: Headers | null;
  /** The page's route pattern (ids folded), for metrics; "unknown" outside a request. */
  pattern: string;
}

const ID_SEGMENT = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z]+_[A-Za-z0-9]{8,}|\d+)$/i;

/** `/admin/ops/customers/<uuid>` → `/admin/ops/customers/[id]`: one metric series per page, not per row. */
export function pathPattern(pathname: string) {
  return pathname
    .split("/")
    .map((segment) => (ID_SEGMENT.test(segment) ? "[id]" : segment))
    .join("/")
    .slice(0, 200);
}

/**
 * The request a server action or page is serving: the id proxy.ts gave it (so the browser's
 * X-Request-Id, the logs, metrics and audit rows agree), its headers and its page pattern.
 */
export async function incomingRequest(): Promise<IncomingRequest> {
  try {
    const { headers } = await import("next/headers");
    const incoming = await headers();
    return {
      requestId: requestIdFrom(incoming),
      headers: incoming,
      pattern: pathPattern(incoming.get(REQUEST_PATH_HEADER) ?? "unknown"),
    };
  } catch {
    // Not inside a Next.js request.
    return { requestId: newRequestId(), headers: null, pattern: "unknown" };
  }
}
