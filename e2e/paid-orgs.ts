import { randomBytes } from "node:crypto";
import type { SetupCommand } from "./setup-commands";

/**
 * Paid organisations for the journeys that invite people: a free org has one seat, its owner.
 * playwright.config.ts creates them with the CLI (`org:create --plan …`) before `next start`;
 * each journey signs in as its own org's owner, so no journey depends on another having run.
 * The run id and password live in process.env so Playwright's workers see the same values.
 */
process.env.E2E_RUN_ID ??= `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
process.env.E2E_PAID_OWNER_PASSWORD ??= `paid-${randomBytes(12).toString("hex")}`;

export const PAID_ORGS = {
  inviting: { name: "Inviting Co", plan: "pro" },
  viewed: { name: "Viewed Co", plan: "starter" },
  hostile: { name: "Org A", plan: "starter" },
  pipeline: { name: "Pipeline Co", plan: "starter" },
  changes: { name: "Changes Co", plan: "starter" },
  channels: { name: "Channels Co", plan: "pro" },
} as const;

export type PaidOrg = keyof typeof PAID_ORGS;

export function paidOwner(org: PaidOrg) {
  return {
    email: `owner-${org}-${process.env.E2E_RUN_ID}@beacon.test`,
    password: process.env.E2E_PAID_OWNER_PASSWORD!,
    ...PAID_ORGS[org],
  };
}

/** The CLI commands that create every paid org (run before the server starts, e2e/setup-main.ts). */
export function createPaidOrgsCommands(): SetupCommand[] {
  return (Object.keys(PAID_ORGS) as PaidOrg[]).map((org) => {
    const o = paidOwner(org);
    return {
      args: ["org:create", "--name", o.name, "--email", o.email, "--password", o.password, "--plan", o.plan],
    };
  });
}
