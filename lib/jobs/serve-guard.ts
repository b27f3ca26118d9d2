import { NextRequest } from "next/server";
import { errorResponse, problemResponse, requestIdFrom } from "@/lib/http";

type ServeHandler<Rest extends unknown[]> = (request: NextRequest, ...rest: Rest) => Promise<Response>;

/**
 * Wraps an Inngest `serve()` handler: the SDK JSON-parses a POST/PUT body before it checks the
 * signature and throws on a malformed one, which Next.js would turn into an HTML 500. A body
 * that is not JSON gets a Problem+JSON 400 here; anything else the SDK throws becomes our
 * Problem+JSON 500 (logged once) instead of a framework error page.
 */
export function guardInngestHandler<Rest extends unknown[]>(handler: ServeHandler<Rest>): ServeHandler<Rest> {
  return async (request, ...rest) => {
    const requestId = requestIdFrom(request.headers);
    try {
      if (request.method === "GET" || request.method === "HEAD") return await handler(request, ...rest);
      const bytes = new Uint8Array(await request.arrayBuffer());
      if (bytes.byteLength > 0) {
        try {
          JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
        } catch {
          return problemResponse("invalid_payload", "The body is not valid JSON.", requestId);
        }
      }
      // The same bytes again: the SDK verifies its signature over exactly these.
      const copy = new NextRequest(request.url, {
        method: request.method,
        headers: request.headers,
        body: bytes.byteLength > 0 ? bytes : undefined,
      });
      return await handler(copy, ...rest);
    } catch (error) {
      return errorResponse(error, requestId, request);
    }
  };
}
