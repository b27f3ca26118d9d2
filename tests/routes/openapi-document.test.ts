// The public API's OpenAPI document is structurally sound: a client generator must be able to
// follow every $ref, find every path parameter, and tell operations apart.
import { describe, expect, it } from "vitest";
import { PUBLIC_API, problemsOf, publicApiDocument } from "@/lib/endpoints";
import { PROBLEMS } from "@/lib/http";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  security?: Json[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Json }[];
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
}

const doc = publicApiDocument();
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ path, method, op: op as unknown as Operation })),
);

/** Every `$ref` anywhere in the document, with where it sits. */
function refs(value: unknown, at = "#"): { at: string; ref: string }[] {
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === "$ref" && typeof child === "string" ? [{ at, ref: child }] : refs(child, `${at}/${key}`),
  );
}

function resolve(ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = doc;
  for (const part of ref.slice(2).split("/")) {
    const key = part.replaceAll("~1", "/").replaceAll("~0", "~");
    if (!node || typeof node !== "object" || !Object.hasOwn(node, key)) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

describe("the public OpenAPI document", () => {
  it("is OpenAPI 3.1 with info, a relative server and the API-key scheme", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    for (const server of doc.servers) expect(server.url.startsWith("/")).toBe(true);
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    for (const requirement of doc.security)
      for (const name of Object.keys(requirement)) expect(doc.components.securitySchemes).toHaveProperty(name);
  });

  it("every $ref resolves inside the document", () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(20);
    const broken = all.filter(({ ref }) => resolve(ref) === undefined);
    expect(broken).toEqual([]);
  });

  it("every operation has a method OpenAPI knows, a unique operationId and every path parameter declared", () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, op } of operations) {
      expect(METHODS).toContain(method);
      const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? []).filter((p) => p.in === "path");
      expect(declared.map((p) => p.name).sort(), `${method} ${path}`).toEqual(inTemplate);
      for (const p of declared) expect(p.required).toBe(true);
      for (const p of op.parameters ?? []) expect(p.schema, `${p.name} of ${method} ${path}`).toBeDefined();
    }
  });

  it("answers: a success, and each Problem code the endpoint can give as application/problem+json", () => {
    for (const endpoint of PUBLIC_API) {
      const op = doc.paths[endpoint.path]![endpoint.method.toLowerCase()] as unknown as Operation;
      const statuses = Object.keys(op.responses);
      expect(statuses.some((s) => s.startsWith("2"))).toBe(true);
      const problemStatuses = [...new Set(problemsOf(endpoint).map((code) => String(PROBLEMS[code].status)))].sort();
      expect(statuses.filter((s) => !s.startsWith("2")).sort()).toEqual(problemStatuses);
      for (const status of problemStatuses)
        expect(op.responses[status]!.content!["application/problem+json"]!.schema.$ref).toBe(
          "#/components/schemas/Problem",
        );
    }
  });

  it("says where quota and rate limits apply: metered operations carry the headers and 402/429", () => {
    const metered = PUBLIC_API.filter((e) => e.metered);
    expect(metered.map((e) => e.name).sort()).toEqual(["getOpportunity", "searchOpportunities"]);
    for (const endpoint of PUBLIC_API) {
      const op = doc.paths[endpoint.path]![endpoint.method.toLowerCase()] as unknown as Operation & {
        responses: Record<string, { headers?: Json }>;
      };
      const success = op.responses[String(endpoint.success.status)]!;
      expect(Object.hasOwn(success.headers ?? {}, "X-Quota-Remaining")).toBe(Boolean(endpoint.metered));
      expect(Object.hasOwn(op.responses, "402")).toBe(Boolean(endpoint.metered));
      expect(Object.hasOwn(op.responses, "429")).toBe(Boolean(endpoint.metered));
    }
  });

  it("the description of itself needs no key", () => {
    const self = doc.paths["/api/v1/openapi.json"]!.get as unknown as Operation;
    expect(self.security).toEqual([]);
    expect(Object.keys(self.responses)).not.toContain("401");
  });
});
