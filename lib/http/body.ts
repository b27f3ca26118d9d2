import type { z } from "zod";
import { AppError, type FieldError } from "./errors";

export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** Reads the raw body, refusing (413) as soon as it passes `limit` bytes, whatever Content-Length claims. */
export async function readBodyWithLimit(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw new AppError("payload_too_large", `The body must not exceed ${limit} bytes.`);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new AppError("payload_too_large", `The body must not exceed ${limit} bytes.`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

export function isJsonContentType(value: string | null) {
  if (!value) return false;
  const mediaType = value.split(";")[0]!.trim().toLowerCase();
  return mediaType === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

/** Parses a JSON body: 415 for non-JSON, 413 over the limit, 400 malformed, 422 invalid values. */
export async function parseJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  limit = DEFAULT_BODY_LIMIT,
): Promise<z.infer<S>> {
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new AppError("unsupported_media_type", "Send the body as application/json.");
  }
  return validate(schema, decodeJson(await readBodyWithLimit(request, limit)));
}

/**
 * The one way an optional body is read: a schema that accepts `{}` lets the body be left out
 * (no bytes, whatever the headers say, is `{}`); anything sent is parsed as parseJsonBody does.
 */
export async function parseOptionalJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  limit = DEFAULT_BODY_LIMIT,
): Promise<z.infer<S>> {
  if (!schema.safeParse({}).success) return parseJsonBody(request, schema, limit);
  const bytes = await readBodyWithLimit(request, limit);
  if (bytes.byteLength === 0) return validate(schema, {});
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new AppError("unsupported_media_type", "Send the body as application/json.");
  }
  return validate(schema, decodeJson(bytes));
}

function decodeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new AppError("invalid_payload", "The body is not valid JSON.");
  }
}

/**
 * The path of the first string holding a NUL character, or null. PostgreSQL text cannot store
 * U+0000 (the query fails), so such input is refused as invalid before it reaches SQL.
 */
export function pathOfNulCharacter(value: unknown): string | null {
  const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === "string") {
      if (current.includes("\u0000")) return path.join(".") || "(root)";
    } else if (current && typeof current === "object") {
      for (const [key, child] of Object.entries(current)) stack.push({ value: child, path: [...path, key] });
    }
  }
  return null;
}

export function validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const nul = pathOfNulCharacter(value);
  if (nul !== null)
    throw new AppError("validation_failed", "Some fields are invalid.", {
      errors: [{ path: nul, message: "Must not contain NUL characters." }],
    });
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError("validation_failed", "Some fields are invalid.", { errors: fieldErrors(result.error) });
  }
  return result.data;
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join(".") || "(root)", message: issue.message }));
}

/** Query string → object (repeated keys become arrays) validated by `schema`. */
export function parseQuery<S extends z.ZodType>(url: URL, schema: S): z.infer<S> {
  const raw: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const existing = raw[key];
    if (existing === undefined) raw[key] = value;
    else raw[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return validate(schema, raw);
}
