/** Every error code of the HTTP contract (API.md), with its status and title. */
export const PROBLEMS = {
  invalid_payload: { status: 400, title: "Invalid payload" },
  unauthorized: { status: 401, title: "Unauthorized" },
  mfa_required: { status: 401, title: "Two-factor verification required" },
  quota_exhausted: { status: 402, title: "Quota exhausted" },
  forbidden: { status: 403, title: "Forbidden" },
  not_found: { status: 404, title: "Not found" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict" },
  read_only: { status: 409, title: "Read-only mode" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  validation_failed: { status: 422, title: "Validation failed" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
  not_ready: { status: 503, title: "Not ready" },
} as const;

export type ProblemCode = keyof typeof PROBLEMS;

export interface FieldError {
  path: string;
  message: string;
}

/** The one error type lib/ throws for expected failures; lib/http maps it to Problem+JSON. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    detail?: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; [key: string]: unknown } = {},
  ) {
    super(detail ?? PROBLEMS[code].title);
    this.name = "AppError";
    this.status = PROBLEMS[code].status;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
