import type { z } from "zod";
import type { ProblemCode } from "./errors";

export type EndpointMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Who an endpoint's caller authenticates as, by kind. lib/auth adds `apiKey` and `session` by
 * declaration merging: auth sits above http, so a capability declares its endpoints with
 * lib/http alone and the principal types still reach its handlers.
 */
export interface EndpointPrincipals {
  /** No credentials (the API's own description). */
  public: null;
}

export type EndpointAuthKind = keyof EndpointPrincipals;

/**
 * The service context a handler calls lib with, by kind of caller (lib/context): built once by
 * the endpoint edge from the principal. lib/auth adds `apiKey` and `session` beside their principals.
 */
export interface EndpointContexts {
  public: null;
}

export type EndpointContext<K extends EndpointAuthKind> = K extends keyof EndpointContexts
  ? EndpointContexts[K]
  : never;

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler gets: the principal and its inputs, already validated by the declared schemas. */
export interface EndpointCall<K extends EndpointAuthKind, P, Q, B, C> {
  auth: EndpointPrincipals[K];
  /** Who acts, in which org, with the request id and the clock: what lib entry points take first. */
  ctx: EndpointContext<K>;
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
  /** What `prepare` returned. */
  prepared: C;
  request: Request;
  requestId: string;
}

export type EndpointAnswer<R> = Response | { status?: number; body: R; headers?: Record<string, string> };

export interface EndpointSuccess<R extends z.ZodType | undefined> {
  /** The usual success status. */
  status: 200 | 201 | 202 | 204;
  /** Another success status the same body can come with (e.g. 200 when the thing already existed). */
  alternate?: 200 | 201 | 202;
  /** The JSON body's schema; none for 204 and for files. The public API declares one for every JSON answer. */
  body?: R;
  /** A file answer's content type (a CSV or JSON attachment) instead of a JSON body. */
  file?: string;
  /** Response headers worth a client's attention, name → what it carries. */
  headers?: Record<string, string>;
}

export interface EndpointSpec<
  K extends EndpointAuthKind,
  P extends z.ZodObject | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType | undefined,
  C,
> {
  /** Unique and stable: the API description's operationId (`listAlerts`). */
  name: string;
  method: EndpointMethod;
  /** The path with `{name}` for each dynamic segment, named as the route folder names it (`[id]` → `{id}`). */
  path: string;
  auth: K;
  /** One line for the API description; `description` says more. */
  summary: string;
  description?: string;
  /** Path parameters; a value the schema refuses answers 404 like an unknown id. */
  params?: P;
  /** The query string (repeated keys become arrays); refused → 422. */
  query?: Q;
  /** The JSON body: 415 when not JSON, 413 past 64 KiB, 400 malformed, 422 invalid. */
  body?: B;
  success: EndpointSuccess<R>;
  /**
   * The Problem codes the handler itself can answer (403 plan limit, 404 unknown id, 409 …).
   * Those the edge adds (401, 400/413/415/422 for inputs, 402/429 when metered, 500) come with
   * the declaration's other facts.
   */
  problems: ProblemCode[];
  /** Charged one unit of quota per call, with rate limit and Idempotency-Key (lib/metering). */
  metered?: {
    /** The endpoint name usage events record; customers see it in their usage export. */
    usage: string;
  };
  /** Checks after the schemas that must pass before a metered call is charged (a refusal is free). */
  prepare?: (call: EndpointCall<K, P, Q, B, undefined>) => Promise<C>;
  handle: (call: EndpointCall<K, P, Q, B, C>) => Promise<EndpointAnswer<R extends z.ZodType ? z.input<R> : unknown>>;
}

export type Endpoint<
  K extends EndpointAuthKind = EndpointAuthKind,
  P extends z.ZodObject | undefined = z.ZodObject | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType | undefined = z.ZodType | undefined,
  C = unknown,
> = EndpointSpec<K, P, Q, B, R, C> & { readonly kind: "endpoint" };

// Declarations take their own input types; stored side by side they are only ever called through
// the edge, which validates with the declaration's own schemas first.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEndpoint = Endpoint<any, any, any, any, any, any>;

/** Declares a customer HTTP endpoint once: its route handler and its OpenAPI entry are generated from it. */
export function defineEndpoint<
  K extends EndpointAuthKind,
  R extends z.ZodType | undefined,
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  C = undefined,
>(spec: EndpointSpec<K, P, Q, B, R, C>): Endpoint<K, P, Q, B, R, C> {
  return { ...spec, kind: "endpoint" };
}

/** `/api/v1/alerts/{id}` → `["id"]`. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

/** A file as a download (a CSV, an export bundle): never cached, never sniffed as something else. */
export function attachment(content: string, contentType: string, filename: string): Response {
  return new Response(content, {
    headers: {
      "content-type": contentType,
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
