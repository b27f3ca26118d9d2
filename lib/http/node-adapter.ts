import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { logger } from "@/lib/observability";
import { pathParamNames } from "./endpoint";
import { problemResponse } from "./problem";
import { newRequestId } from "./request-id";
import { answeringOf, type PlainAnswer } from "./route";

/** A Fetch route handler, as a Next.js route file exports it. */
export type FetchHandler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;

const gzipAsync = promisify(gzip);
// What Next.js's compression compresses (the `compression` package's defaults): text-like
// bodies of 1 kB or more, unless the answer says no-transform.
const COMPRESSIBLE = /^(?:text\/|application\/(?:[\w.+-]*\+)?json\b)/i;
const COMPRESS_FROM_BYTES = 1024;
const HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

/**
 * `/api/v1/alerts/{id}` → a matcher handing back `{ id }` (decoded) for `/api/v1/alerts/…`, or
 * null for any other path, or for a parameter that is not valid percent-encoding.
 */
export function pathMatcher(template: string): (pathname: string) => Record<string, string> | null {
  // The endpoints' own template grammar (pathParamNames): each `{name}` is one path segment.
  const names = pathParamNames(template);
  const pattern = template
    .split(/\{[^}]+\}/)
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("([^/]+)");
  const regex = new RegExp(`^${pattern}$`);
  return (pathname) => {
    const match = regex.exec(pathname);
    if (!match) return null;
    try {
      return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
    } catch {
      return null;
    }
  };
}

/**
 * The Fetch `Request` of a Node.js request, as Next.js builds it for a route handler: the URL on
 * the request's own host, every header (repeated ones joined), the body streamed. No abort
 * signal: no handler reads one, and linking one to the request costs every call a weak
 * reference and a finalizer for the garbage collector.
 */
export function toFetchRequest(req: IncomingMessage, res: ServerResponse): Request {
  const host = req.headers.host && HOST.test(req.headers.host) ? req.headers.host : "localhost";
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const each of value) headers.append(name, each);
    else headers.set(name, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  // Origin-form only ("/path?query"): "//other.host/…" must stay a path, not become a host.
  const target = req.url?.startsWith("/") ? req.url : "/";
  return new Request(new URL(`http://${host}${target}`), {
    method: req.method,
    headers,
    ...(hasBody ? { body: bodyStream(req, res), duplex: "half" } : {}),
  } as RequestInit);
}

/**
 * The request body as a web stream, read as the handler reads it. What the handler leaves unread
 * (it answered 401 first, or cancelled at its size limit with a 413) is read and dropped rather
 * than the socket destroyed, so the answer still reaches the client and a kept-alive connection
 * can carry the next request.
 */
function bodyStream(req: IncomingMessage, res: ServerResponse): ReadableStream<Uint8Array> {
  let open = true;
  const discardRest = () => {
    open = false;
    req.removeAllListeners("data");
    req.resume();
  };
  res.once("finish", () => {
    if (!req.complete) discardRest();
  });
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.pause();
      req.on("data", (chunk: Buffer) => {
        if (!open) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once("end", () => {
        if (open) controller.close();
        open = false;
      });
      req.once("error", (error) => {
        if (open) controller.error(error);
        open = false;
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      discardRest();
    },
  });
}

/**
 * Writes a Fetch `Response` to a Node.js response: `headers` first (those a deployment adds to
 * every answer), then the answer's own, which win; the body gzipped when the client accepts it
 * and it is worth it, as Next.js's server does.
 */
export async function sendFetchResponse(
  req: IncomingMessage,
  res: ServerResponse,
  response: Response,
  headers: readonly { key: string; value: string }[] = [],
) {
  for (const { key, value } of headers) res.setHeader(key, value);
  for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  res.statusCode = response.status;
  await sendBody(req, res, Buffer.from(await response.arrayBuffer()));
}

/** Writes a route's plain answer (`route()`'s, without a Fetch `Response`) as `sendFetchResponse` would. */
export async function sendPlainAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  answer: PlainAnswer,
  headers: readonly { key: string; value: string }[] = [],
) {
  for (const { key, value } of headers) res.setHeader(key, value);
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.statusCode = answer.status;
  await sendBody(req, res, answer.body === null ? Buffer.alloc(0) : Buffer.from(answer.body));
}

/** The body, gzipped when worth it (its headers are already on `res`), with its length. */
async function sendBody(req: IncomingMessage, res: ServerResponse, body: Buffer) {
  if (worthCompressing(req, res, body.length)) {
    body = await gzipAsync(body);
    res.setHeader("content-encoding", "gzip");
    res.setHeader("vary", varyWithAcceptEncoding(headerOf(res, "vary")));
  }
  res.setHeader("content-length", body.length);
  res.end(req.method === "HEAD" ? undefined : body);
}

function headerOf(res: ServerResponse, name: string): string | null {
  const value = res.getHeader(name);
  return value === undefined ? null : Array.isArray(value) ? value.join(", ") : String(value);
}

function worthCompressing(req: IncomingMessage, res: ServerResponse, bytes: number) {
  if (bytes < COMPRESS_FROM_BYTES || res.hasHeader("content-encoding")) return false;
  if (!COMPRESSIBLE.test(headerOf(res, "content-type") ?? "")) return false;
  if (/\bno-transform\b/i.test(headerOf(res, "cache-control") ?? "")) return false;
  return acceptsGzip(String(req.headers["accept-encoding"] ?? ""));
}

/** Whether an Accept-Encoding header lets the answer be gzipped (`gzip` or `*`, with q above 0). */
export function acceptsGzip(acceptEncoding: string) {
  return acceptEncoding.split(",").some((entry) => {
    const [coding, ...parameters] = entry.split(";").map((part) => part.trim().toLowerCase());
    if (coding !== "gzip" && coding !== "*") return false;
    const q = parameters.find((parameter) => parameter.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function varyWithAcceptEncoding(vary: string | null) {
  if (!vary) return "Accept-Encoding";
  return /\baccept-encoding\b/i.test(vary) ? vary : `${vary}, Accept-Encoding`;
}

/**
 * Serves one request with a Fetch route handler over Node.js's own request and response. The
 * handler answers every error it knows as Problem+JSON; anything that escapes it (a broken
 * answer body, say) becomes a 500 Problem here, never a hung socket.
 */
export async function serveWithFetchHandler(
  req: IncomingMessage,
  res: ServerResponse,
  handler: FetchHandler,
  params: Record<string, string>,
  headers: readonly { key: string; value: string }[] = [],
) {
  try {
    const request = toFetchRequest(req, res);
    const context = { params: Promise.resolve(params) };
    // A route() handler answers without a Fetch Response here; any other handler with one.
    const answering = answeringOf(handler);
    const answer = answering ? await answering(request, context) : await handler(request, context);
    if (answer instanceof Response) await sendFetchResponse(req, res, answer, headers);
    else await sendPlainAnswer(req, res, answer, headers);
  } catch (error) {
    const requestId = newRequestId();
    logger.error({ err: error, requestId, method: req.method }, "answer could not be sent");
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    const problem = problemResponse("internal", "The answer could not be sent.", requestId);
    await sendFetchResponse(req, res, problem, headers).catch(() => res.destroy());
  }
}
