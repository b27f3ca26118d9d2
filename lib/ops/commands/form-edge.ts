import { z } from "zod";
import { operatorFromHeaders, parseCookieHeader } from "@/lib/auth";
import { AppError, incomingRequest, newRequestId, runFormAction, validate, type FormState } from "@/lib/http";
import { currentRequestId } from "@/lib/observability";
import { BREAK_GLASS_COOKIE } from "../break-glass";
import type { AnyOperatorCommand, CommandDeps, CommandTarget } from "./define";
import { bodyFromForm, executeCommand, selectCommand } from "./execute";

const FORM_FIELDS = z.record(z.string(), z.string());

export interface CommandFormOptions {
  deps: CommandDeps;
  /** Form-only confirmation fields (a typed "replay"), checked before anything runs. */
  confirm?: z.ZodType;
  /** The request's headers; a server action reads Next.js's incoming ones. */
  headers?: Headers;
}

export interface CommandFormResult {
  command: AnyOperatorCommand;
  result: unknown;
}

/**
 * A cockpit server action's run of a command: the operator from the session cookie, break-glass
 * from the /admin cookie, form fields as params and body, then the same checks and handler as
 * the API. Errors come back as the form's state, with the API's Problem code.
 */
export function runOperatorCommandForm(
  target: CommandTarget,
  formData: FormData,
  options: CommandFormOptions,
): Promise<FormState<CommandFormResult>> {
  return runFormAction(formData, FORM_FIELDS, async (fields) => {
    const headers = options.headers ?? (await incomingRequest()).headers;
    if (!headers) throw new AppError("unauthorized", "Sign in first.");
    const auth = await operatorFromHeaders(headers);
    const command = selectCommand(target, fields);
    if (options.confirm) validate(options.confirm, fields);
    const { result } = await executeCommand(command, {
      auth,
      requestId: currentRequestId() ?? newRequestId(),
      deps: options.deps,
      breakGlassToken: parseCookieHeader(headers.get("cookie")).get(BREAK_GLASS_COOKIE) ?? null,
      params: fields,
      readBody: async (c, body) => bodyFromForm(c, body, fields),
    });
    return { command, result };
  });
}
