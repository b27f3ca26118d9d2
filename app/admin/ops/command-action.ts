import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { COMMAND_DEPS } from "@/inngest/command-deps";
import type { FormState } from "@/lib/http";
import {
  runOperatorCommandForm,
  type AnyOperatorCommand,
  type CommandTarget,
  type OperatorCommand,
} from "@/lib/ops/commands";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ResultOf<T> = T extends OperatorCommand<any, any, infer R> ? R : unknown;

/** What only the cockpit decides about a command: what the operator reads, and what is drawn again. */
export interface CommandActionUi<R> {
  /** The success message, or the form state to show (a re-processed event that still fails is an error to read). */
  done: string | ((result: R, command: AnyOperatorCommand) => string | FormState);
  /** The page (or, with `layout`, every page under it) to render again. */
  revalidate: string | [path: string, type: "layout"];
  /** Form-only confirmation fields (a typed "replay"), checked before anything runs. */
  confirm?: z.ZodType;
  /** After success: cookies to set, a redirect. */
  after?: (result: R) => Promise<void>;
}

/**
 * A cockpit server action generated from a command's declaration: the same checks, handler and
 * audit entry as its API route (lib/ops/commands), answered as a form's state. The result never
 * reaches the browser (a break-glass token is in one).
 */
export function commandAction<T extends CommandTarget>(target: T, ui: CommandActionUi<ResultOf<T>>) {
  return async (_prev: FormState, formData: FormData): Promise<FormState> => {
    const state = await runOperatorCommandForm(target, formData, { deps: COMMAND_DEPS, confirm: ui.confirm });
    if (state.status !== "success" || !state.result) return { ...state, result: undefined };
    const { command, result } = state.result;
    if (typeof ui.revalidate === "string") revalidatePath(ui.revalidate);
    else revalidatePath(...ui.revalidate);
    await ui.after?.(result as ResultOf<T>);
    const done = typeof ui.done === "string" ? ui.done : ui.done(result as ResultOf<T>, command);
    return typeof done === "string"
      ? { status: "success", message: done, requestId: state.requestId }
      : { ...done, requestId: state.requestId };
  };
}
