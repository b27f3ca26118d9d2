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
