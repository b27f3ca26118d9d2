import fs from "node:fs";
import { generate } from "otplib";

/** One of the journeys' operators (made by playwright.config.ts); `file` holds operator:create's answer. */
export interface E2eOperator {
  role: "admin" | "viewer";
  email: string;
  file: string;
}

interface OperatorFile {
  user_id: string;
  totp_secret: string;
  /** The last TOTP step a journey used for this operator. */
  last_step?: number;
}

/** The journeys' operators, of one role or all (set by playwright.config.ts for every process). */
export function e2eOperators(role?: E2eOperator["role"]): E2eOperator[] {
  const all = JSON.parse(process.env.E2E_OPERATORS ?? "[]") as E2eOperator[];
  return role ? all.filter((operator) => operator.role === role) : all;
}

/** The role's first operator: for a journey about one identity (its authenticator reset, a wrong code). */
export function e2eOperator(role: E2eOperator["role"]): E2eOperator {
  const operator = e2eOperators(role)[0];
  if (!operator) throw new Error(`no e2e operator of role ${role}: run the journeys through playwright.config.ts`);
  return operator;
}

export function readOperatorFile(operator: Pick<E2eOperator, "file">): OperatorFile {
  return JSON.parse(fs.readFileSync(operator.file, "utf8")) as OperatorFile;
}

/**
 * The role's operator that can sign in soonest: the one whose last used TOTP step is oldest.
 * Operator journeys run one at a time (playwright.config.ts), so no two processes pick at once.
 */
export function soonestOperator(role: E2eOperator["role"]): E2eOperator {
  const lastStep = (operator: E2eOperator) => readOperatorFile(operator).last_step ?? -1;
  const [first, ...rest] = e2eOperators(role);
  if (!first) throw new Error(`no e2e operator of role ${role}`);
  return rest.reduce((best, operator) => (lastStep(operator) < lastStep(best) ? operator : best), first);
}

/**
 * A TOTP code the server has not seen yet for this operator: Beacon refuses a code whose 30-second
 * step was already used (replay protection), so sign-ins in quick succession take the next step's
 * code (accepted for clock drift), or wait for one. The step used is kept in the file.
 */
export async function nextTotpCode(operator: Pick<E2eOperator, "file">): Promise<string> {
  const record = readOperatorFile(operator);
  const nowStep = Math.floor(Date.now() / 30_000);
  const step = Math.max(nowStep, (record.last_step ?? -1) + 1);
  // The server accepts the current step and the next one; anything later must wait its turn.
  if (step > nowStep + 1) await new Promise((resolve) => setTimeout(resolve, (step - 1) * 30_000 - Date.now() + 500));
  fs.writeFileSync(operator.file, JSON.stringify({ ...record, last_step: step }));
  return generate({ secret: record.totp_secret, epoch: step * 30 });
}
