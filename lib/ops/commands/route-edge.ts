import { operatorAuth } from "@/lib/auth";
import { parseOptionalJsonBody, route } from "@/lib/http";
import { breakGlassTokenFrom } from "../admin-writes";
import type { CommandDeps, CommandTarget } from "./define";
import { executeCommand, selectCommand } from "./execute";

const GENERATED_FROM = Symbol.for("beacon.operatorCommand");

/** An operator API route handler generated from a command (or a set chosen by a path parameter). */
export function operatorCommandRoute(target: CommandTarget, deps: CommandDeps) {
  const handler = route(
    async ({ auth, params, request, requestId }) => {
      const command = selectCommand(target, params);
      const { ctx, input, result } = await executeCommand(command, {
        auth,
        requestId,
        deps,
        breakGlassToken: breakGlassTokenFrom(request),
        params,
        readBody: (_command, body) => parseOptionalJsonBody(request, body),
      });
      const answer = command.answer(result, input, ctx);
      return { status: answer.status ?? 200, body: answer.body };
    },
    { authenticate: operatorAuth },
  );
  return Object.assign(handler, { [GENERATED_FROM]: target });
}

/** The declaration a route handler was generated from, if it was (the table test checks every write route). */
export function commandOfRoute(handler: unknown): CommandTarget | undefined {
  return (handler as { [GENERATED_FROM]?: CommandTarget } | null)?.[GENERATED_FROM];
}
