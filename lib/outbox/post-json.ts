import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";

const POST_TIMEOUT_MS = 10_000;

/** A receiver answered, but not with a 2xx. */
export class WebhookStatusError extends Error {
  constructor(readonly status: number) {
    super(`webhook answered HTTP ${status}`);
  }
}

/**
 * One JSON POST: redirects are not followed (a 3xx is a failure) and it gives up after 10 s.
 * `lookup` resolves the host for the connection itself, so a policy on where a post may go
 * (public addresses only, for customers' channels) holds for the address actually connected to,
 * not only for an earlier resolution that DNS could contradict a moment later.
 */
export function postJson(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { lookup?: LookupFunction } = {},
): Promise<void> {
  const target = new URL(url);
  if (target.protocol !== "https:" && target.protocol !== "http:")
    return Promise.reject(new Error(`cannot POST to a ${target.protocol} URL`));
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup: options.lookup,
        // A pooled socket was connected by an earlier lookup, maybe not this one: a guarded post
        // opens its own connection.
        agent: options.lookup ? false : undefined,
        signal: AbortSignal.timeout(POST_TIMEOUT_MS),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        // The answer's body is not read: drop it and free the socket.
        response.resume();
        if (status < 200 || status >= 300) reject(new WebhookStatusError(status));
        else response.on("end", () => resolve()).on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}
