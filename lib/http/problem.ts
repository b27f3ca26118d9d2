import { z } from "zod";
import { PROBLEMS, type AppError, type ProblemCode } from "./errors";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
export const PROBLEM_TYPE_BASE = "https://beacon.dev/problems/";

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail: string;
  request_id: string;
  [key: string]: unknown;
}

/** The Problem+JSON body as a schema: the API description's shared Problem, and what tests check answers against. */
export const problemBodySchema = z
  .looseObject({
    type: z.string().describe("A URL naming the problem: `https://beacon.dev/problems/{code}`."),
    title: z.string(),
    status: z.int().min(400).max(599),
    code: z.enum(Object.keys(PROBLEMS) as [ProblemCode, ...ProblemCode[]]),
    detail: z.string().describe("What went wrong, in words meant for the person reading the log."),
    request_id: z.string().describe("Quote it when contacting support; the same as the `X-Request-Id` header."),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe("Which fields are invalid (422) and why."),
  })
  .meta({ title: "Problem", description: "RFC 9457 problem details; other members may appear." });

export function problemBody(
  code: ProblemCode,
  detail: string,
  requestId: string,
  extra: Record<string, unknown> = {},
): ProblemBody {
  const { status, title } = PROBLEMS[code];
  return { type: `${PROBLEM_TYPE_BASE}${code}`, title, status, code, detail, request_id: requestId, ...extra };
}

export function problemResponse(
  code: ProblemCode,
  detail: string,
  requestId: string,
  options: { extra?: Record<string, unknown>; headers?: Record<string, string> } = {},
) {
  const body = problemBody(code, detail, requestId, options.extra);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: {
      "content-type": PROBLEM_CONTENT_TYPE,
      "x-request-id": requestId,
      "cache-control": "no-store",
      ...options.headers,
    },
  });
}

export function appErrorResponse(error: AppError, requestId: string) {
  const { headers, ...extra } = error.extra;
  return problemResponse(error.code, error.message, requestId, { extra, headers });
}
