import type { z } from "zod";
import { logger, observeHttpRequest, runWithRequestContext } from "@/lib/observability";
import { isAppError, PROBLEMS, type ProblemCode } from "./errors";
import { incomingRequest } from "./incoming-request";

/** What a server action returns to its form (React useActionState). */
export interface FormState<Result = unknown> {
  status: "idle" | "error" | "success";
  message?: string;
  /** For an error: its Problem+JSON code, as the operator API would answer it. */
  code?: ProblemCode;
  fieldErrors?: Record<string, string>;
  /** Submitted values echoed back so a failed submit never loses input (passwords excluded). */
  values?: Record<string, string>;
  result?: Result;
  /** The request's id, as in the logs, the audit trail and the X-Request-Id response header. */
  requestId?: string;
}

export const IDLE: FormState = { status: "idle" };

export function formValues(formData: FormData, omit: string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !key.startsWith("$ACTION") && !omit.includes(key))
      values[key] = value.slice(0, 2000);
  }
  return values;
}

/**
 * The edge of every server action, as `route()` is of every route handler: the request's id
 * (from proxy.ts) carried by every log line and audit row inside, the latency metric under
 * `action <page pattern>`, then `validateAndRun`. Redirects must happen after it returns.
 */
export async function runFormAction<S extends z.ZodType, R>(
  formData: FormData,
  schema: S,
  fn: (input: z.infer<S>) => Promise<R>,
  options: { secretFields?: string[] } = {},
): Promise<FormState<R>> {
  const incoming = await incomingRequest();
  return runWithRequestContext({ requestId: incoming.requestId }, async () => {
    const started = performance.now();
    let status = 500;
    try {
      const state = await validateAndRun(formData, schema, fn, options);
      status = state.httpStatus;
      const { httpStatus: _status, ...result } = state;
      if (status >= 500)
        result.message = `${result.message} If it happens again, quote ${incoming.requestId} to support.`;
      return { ...result, requestId: incoming.requestId };
    } finally {
      observeHttpRequest(`action ${incoming.pattern}`, "POST", status, (performance.now() - started) / 1000);
    }
  });
}

/**
 * Validates form data with the same Zod schema the browser used, runs `fn`, and turns
 * AppErrors into inline messages.
 */
async function validateAndRun<S extends z.ZodType, R>(
  formData: FormData,
  schema: S,
  fn: (input: z.infer<S>) => Promise<R>,
  options: { secretFields?: string[] },
): Promise<FormState<R> & { httpStatus: number }> {
  const secret = options.secretFields ?? ["password", "confirm", "currentPassword", "newPassword"];
  const values = formValues(formData, secret);
  const raw: Record<string, unknown> = {};
  for (const [key, value] of formData.entries())
    if (!key.startsWith("$ACTION") && typeof value === "string") raw[key] = value;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join(".") || "form";
      fieldErrors[path] ??= issue.message;
    }
    return {
      status: "error",
      message: "Please fix the highlighted fields.",
      code: "validation_failed",
      fieldErrors,
      values,
      httpStatus: 422,
    };
  }
  try {
    return { status: "success", result: await fn(parsed.data), values, httpStatus: 200 };
  } catch (error) {
    if (isAppError(error)) {
      const fieldErrors = Object.fromEntries((error.extra.errors ?? []).map((e) => [e.path, e.message]));
      return {
        status: "error",
        message: error.message,
        code: error.code,
        fieldErrors,
        values,
        httpStatus: PROBLEMS[error.code].status,
      };
    }
    if (isNextControlFlow(error)) throw error;
    logger.error({ err: error }, "form action failed");
    return { status: "error", message: "Something went wrong on our side. Please try again.", values, httpStatus: 500 };
  }
}

/** `redirect()` and `notFound()` throw to unwind: they are Next.js control flow, not failures. */
function isNextControlFlow(error: unknown) {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return (
    typeof digest === "string" && (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK"))
  );
}
