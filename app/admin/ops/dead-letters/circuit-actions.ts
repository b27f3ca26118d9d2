"use server";

import { retryCircuit } from "@/lib/ops/commands";
import { commandAction } from "../command-action";

/** "Retry now" on a paused destination: half-open, so the next delivery run sends one probe there. */
export const retryCircuitAction = commandAction(retryCircuit, {
  revalidate: "/admin/ops/dead-letters",
  done: "The next delivery run sends one message there as a probe.",
});
