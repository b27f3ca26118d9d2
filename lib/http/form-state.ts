import type { z } from "zod";
import { logger } from "@/lib/observability";
import { isAppError } from "./errors";

/** What a server action returns to its form (React useActionState). */
export interface FormState<Result = unknown> {
  status: "idle" | "error" | "success";
  message?: string;
  fieldErrors?: Record<string, string>;
  /** Submitted values echoed back so a failed submit never loses input (passwords excluded). */
  values?: Record<string, string>;
  result?: Result;
}

export const IDLE: FormState = { status: "idle" };

export function formValues(formData: FormData, omit: string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !key.startsWith("$ACTION") && !omit.includes(key)) values[key] = value.slice(0, 2000);
  }
  return values;
}

/**
 * Validates form data with the same Zod schema the browser used, runs `fn`, and turns
 * AppErrors into inline messages. Redirects must happen after it returns.
 */
export async function runFormAction<S extends z.ZodType, R>(
  formData: FormData,
  schema: S,
  fn: (input: z.infer<S>) => Promise<R>,
  options: { secretFields?: string[] } = {},
): Promise<FormState<R>> {
  const secret = options.secretFields ?? ["password", "confirm", "currentPassword", "newPassword"];
  const values = formValues(formData, secret);
  const raw: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) if (!key.startsWith("$ACTION") && typeof value === "string") raw[key] = value;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join(".") || "form";
      fieldErrors[path] ??= issue.message;
    }
    return { status: "error", message: "Please fix the highlighted fields.", fieldErrors, values };
  }
  try {
    return { status: "success", result: await fn(parsed.data), values };
  } catch (error) {
    if (isAppError(error)) {
      const fieldErrors = Object.fromEntries((error.extra.errors ?? []).map((e) => [e.path, e.message]));
      return { status: "error", message: error.message, fieldErrors, values };
    }
    logger.error({ err: error }, "form action failed");
    return { status: "error", message: "Something went wrong on our side. Please try again.", values };
  }
}
