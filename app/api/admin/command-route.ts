import { COMMAND_DEPS } from "@/inngest/command-deps";
import { operatorCommandRoute, type CommandTarget } from "@/lib/ops/commands";

/** An operator API route handler generated from a command's declaration (lib/ops/commands). */
export function commandRoute(target: CommandTarget) {
  return operatorCommandRoute(target, COMMAND_DEPS);
}
