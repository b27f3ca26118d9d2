import type { CommandDeps } from "@/lib/ops/commands";
import { inngest } from "./client";
import { FUNCTIONS } from "./functions";

/** What operator commands need from Inngest (re-run, cancel, pause): lib never imports the functions itself. */
export const COMMAND_DEPS: CommandDeps = { functions: FUNCTIONS, send: (event) => inngest.send(event) };
