/** One CLI command the journeys' setup runs before the server starts (e2e/setup-main.ts). */
export interface SetupCommand {
  args: string[];
  /** Where its JSON answer goes (e.g. an operator's TOTP enrolment); nowhere when absent. */
  output?: string;
}
