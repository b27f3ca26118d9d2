export {
  defineOperatorCommand,
  defineCommandSet,
  isCommandSet,
  type AnyOperatorCommand,
  type CommandContext,
  type CommandDeps,
  type CommandSet,
  type CommandTarget,
  type OperatorCommand,
} from "./define";
export { operatorCommandRoute, commandOfRoute } from "./route-edge";
export { runOperatorCommandForm, type CommandFormOptions, type CommandFormResult } from "./form-edge";
export { bulkRerunJobRuns, cancelRun, pauseJobFunction, rerunJobRun, resumeJobFunction } from "./jobs";
export { bulkReplayDeadLetters, discardDeadLetter, replayOneDeadLetter, retryCircuit } from "./outbox";
export { CUSTOMER_ACTION_COMMANDS, customerActions, deleteCustomer } from "./customers";
export { closeBreakGlass, openBreakGlass, setFeatureFlag } from "./incident";
export { reprocessStripe, resetOperatorAuthenticator } from "./support";

import { bulkRerunJobRuns, cancelRun, pauseJobFunction, rerunJobRun, resumeJobFunction } from "./jobs";
import { bulkReplayDeadLetters, discardDeadLetter, replayOneDeadLetter, retryCircuit } from "./outbox";
import { CUSTOMER_ACTION_COMMANDS, deleteCustomer } from "./customers";
import { closeBreakGlass, openBreakGlass, setFeatureFlag } from "./incident";
import { reprocessStripe, resetOperatorAuthenticator } from "./support";
import type { AnyOperatorCommand } from "./define";

/** Every operator write, declared once. */
export const OPERATOR_COMMANDS: readonly AnyOperatorCommand[] = [
  reprocessStripe,
  replayOneDeadLetter,
  discardDeadLetter,
  bulkReplayDeadLetters,
  retryCircuit,
  rerunJobRun,
  bulkRerunJobRuns,
  cancelRun,
  pauseJobFunction,
  resumeJobFunction,
  ...CUSTOMER_ACTION_COMMANDS,
  deleteCustomer,
  resetOperatorAuthenticator,
  setFeatureFlag,
  openBreakGlass,
  closeBreakGlass,
];
