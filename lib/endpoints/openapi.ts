import { z } from "zod";
import {
  PROBLEMS,
  PROBLEM_CONTENT_TYPE,
  pathParamNames,
  problemBodySchema,
  type AnyEndpoint,
  type ProblemCode,
} from "@/lib/http";
import { IDEMPOTENCY_KEY_MAX, IDEMPOTENCY_TTL_MS } from "@/lib/metering";

type JsonSchema = Record<string, unknown>;

export interface ApiInfo {
  title: string;
  version: string;
  description: string;
}

export interface DocumentOptions {
  /** Schemas nested in the answers that deserve a name of their own (their meta title), so clients get a type for them. */
  named?: z.ZodType[];
}

const SCHEMAS = "#/components/schemas/";
const HEADERS = "#/components/headers/";

const SHARED_HEADERS = {
  "X-Request-Id": ["string", "Names this request in Beacon's logs; quote it when contacting support."],
  "X-Quota-Remaining": ["integer", "Metered calls left this period (allowance and credits)."],
  "RateLimit-Limit": ["integer", "Requests allowed per minute for this key's plan."],
  "RateLimit-Remaining": ["integer", "Requests left in the current window."],
  "RateLimit-Reset": ["integer", "Seconds until the window resets."],
  "Retry-After": ["integer", "Seconds to wait before trying again."],
  "Idempotent-Replayed": [
    "string",
    "`true` when this is the stored answer to an earlier request with the same Idempotency-Key.",
  ],
} as const;
type SharedHeader = keyof typeof SHARED_HEADERS;

const METERED_HEADERS: SharedHeader[] = [
  "X-Quota-Remaining",
  "RateLimit-Limit",
  "RateLimit-Remaining",
  "RateLimit-Reset",
  "Idempotent-Replayed",
];

/** The Problem codes the edge itself adds to what the handler declares. */
export function problemsOf(endpoint: AnyEndpoint): ProblemCode[] {
  const codes = new Set<ProblemCode>(endpoint.problems);
  if (endpoint.auth === "apiKey") codes.add("unauthorized");
  if (endpoint.auth === "session") codes.add("unauthorized").add("forbidden");
  if (endpoint.params) codes.add("not_found");
  if (endpoint.query) codes.add("validation_failed");
  if (endpoint.body)
    for (const code of ["invalid_payload", "payload_too_large", "unsupported_media_type", "validation_failed"] as const)
      codes.add(code);
  if (endpoint.metered) codes.add("quota_exhausted").add("rate_limited");
  codes.add("internal");
  return [...codes].sort((a, b) => PROBLEMS[a].status - PROBLEMS[b].status || a.localeCompare(b));
}

function pascal(name: string) {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The components, converted by zod in one pass per direction so a schema used twice becomes one `$ref`. */
function convert(entries: { schema: z.ZodType; id: string }[], io: "input" | "output") {
  const registry = z.registry<{ id: string }>();
  for (const { schema, id } of entries) if (!registry.has(schema)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io, unrepresentable: "any", uri: (id) => `${SCHEMAS}${id}` });
  // Components sit inside the document: no $schema or $id of their own.
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema as JsonSchema]),
  );
}

function componentId(schema: z.ZodType, fallback: string) {
  const title = schema.meta()?.title;
  if (typeof title === "string") return title;
  if (!fallback) throw new Error("A schema named on its own needs a meta title.");
  return fallback;
}

/** One `in: path` or `in: query` parameter per property of an object schema (the query as a client sends it). */
function parameters(schema: z.ZodType, where: "path" | "query"): JsonSchema[] {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, { description, ...property }]) => ({
    name,
    in: where,
    required: where === "path" || (json.required ?? []).includes(name),
    ...(description ? { description } : {}),
    schema: property,
  }));
}

function headerRefs(names: SharedHeader[]) {
  return Object.fromEntries(names.map((name) => [name, { $ref: `${HEADERS}${name}` }]));
}

/**
 * An OpenAPI 3.1 document of declared endpoints: each path and method with its parameters,
 * request body, success answer and the Problem+JSON answers it can give, all from the
 * declarations and their zod schemas (`z.toJSONSchema`).
 */
export function openApiDocument(endpoints: readonly AnyEndpoint[], info: ApiInfo, options: DocumentOptions = {}) {
  const inputs: { schema: z.ZodType; id: string }[] = [];
  const outputs: { schema: z.ZodType; id: string }[] = [];
  const idOf = new Map<z.ZodType, string>();
  const name = (schema: z.ZodType, fallback: string, into: typeof inputs) => {
    if (idOf.has(schema)) return;
    const id = componentId(schema, fallback);
    if ([...idOf.values()].includes(id)) throw new Error(`Two schemas are named ${id}.`);
    idOf.set(schema, id);
    into.push({ schema, id });
  };
  for (const schema of [problemBodySchema, ...(options.named ?? [])]) name(schema, "", outputs);
  for (const endpoint of endpoints) {
    if (endpoint.body) name(endpoint.body, `${pascal(endpoint.name)}Body`, inputs);
    if (endpoint.success.body) name(endpoint.success.body, `${pascal(endpoint.name)}Response`, outputs);
  }

  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const endpoint of [...endpoints].sort((a, b) => a.path.localeCompare(b.path))) {
    paths[endpoint.path] ??= {};
    paths[endpoint.path]![endpoint.method.toLowerCase()] = operation(endpoint, idOf);
  }

  return {
    openapi: "3.1.0" as const,
    info,
    servers: [{ url: "/", description: "This Beacon instance." }],
    security: [{ apiKey: [] }],
    paths,
    components: {
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "bk_live_… / bk_test_…",
          description: "An organisation's API key (settings → API keys): `Authorization: Bearer bk_…`.",
        },
      },
      headers: Object.fromEntries(
        Object.entries(SHARED_HEADERS).map(([name, [type, description]]) => [name, { description, schema: { type } }]),
      ),
      schemas: { ...convert(inputs, "input"), ...convert(outputs, "output") },
    },
  };
}

function operation(endpoint: AnyEndpoint, idOf: Map<z.ZodType, string>): JsonSchema {
  const params = [
    ...(endpoint.params ? parameters(endpoint.params, "path") : []),
    ...(endpoint.query ? parameters(endpoint.query, "query") : []),
  ];
  if (endpoint.metered)
    params.push({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description: `Repeat a request safely: the same key within ${IDEMPOTENCY_TTL_MS / 3_600_000} hours answers the first answer again, uncharged.`,
      schema: { type: "string", maxLength: IDEMPOTENCY_KEY_MAX },
    });
  const declaredParams = new Set(params.filter((p) => p.in === "path").map((p) => p.name));
  for (const name of pathParamNames(endpoint.path))
    if (!declaredParams.has(name)) throw new Error(`${endpoint.name}: path parameter {${name}} has no schema.`);

  const metered = endpoint.metered
    ? "\n\nMetered: one unit of the organisation's quota per served call (402 `quota_exhausted` when none is left); " +
      "rate-limited per key (429); `Idempotency-Key` makes a retry free."
    : "";
  return {
    operationId: endpoint.name,
    summary: endpoint.summary,
    ...(endpoint.description || metered ? { description: `${endpoint.description ?? ""}${metered}`.trim() } : {}),
    tags: [endpoint.path.split("/")[3]],
    ...(endpoint.auth === "public" ? { security: [] } : {}),
    ...(endpoint.metered ? { "x-metered": true } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(endpoint.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: `${SCHEMAS}${idOf.get(endpoint.body)}` } } },
          },
        }
      : {}),
    responses: { ...successResponses(endpoint, idOf), ...problemResponses(endpoint) },
  };
}

function successResponses(endpoint: AnyEndpoint, idOf: Map<z.ZodType, string>) {
  const { success } = endpoint;
  const headers = {
    ...headerRefs(["X-Request-Id", ...(endpoint.metered ? METERED_HEADERS : [])]),
    ...Object.fromEntries(
      Object.entries(success.headers ?? {}).map(([name, description]) => [
        name.replace(/(^|-)[a-z]/g, (c) => c.toUpperCase()),
        { description, schema: { type: "string" } },
      ]),
    ),
  };
  const content = success.body
    ? { "application/json": { schema: { $ref: `${SCHEMAS}${idOf.get(success.body)}` } } }
    : success.file
      ? { [success.file]: { schema: { type: "string" } } }
      : undefined;
  const response = { description: endpoint.summary, headers, ...(content ? { content } : {}) };
  return Object.fromEntries(
    [success.status, success.alternate].filter((s) => s !== undefined).map((status) => [String(status), response]),
  );
}

function problemResponses(endpoint: AnyEndpoint) {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of problemsOf(endpoint))
    byStatus.set(PROBLEMS[code].status, [...(byStatus.get(PROBLEMS[code].status) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, codes]) => [
      String(status),
      {
        description: codes.map((code) => `\`${code}\`: ${PROBLEMS[code].title}`).join("; "),
        headers: headerRefs([
          "X-Request-Id",
          ...(status === 429 ? (["Retry-After"] as const) : []),
          ...(endpoint.metered && status === 429
            ? (["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"] as const)
            : []),
        ]),
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `${SCHEMAS}Problem` } } },
      },
    ]),
  );
}
