import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { COCKPIT_PAGES as COCKPIT_NAV } from "../app/admin/cockpit-pages";
import { nextTotpCode, soonestOperator, type E2eOperator } from "./operators";

export const PASSWORD = "e2e-correct-horse-battery";

export function uniqueEmail(tag: string) {
  return `${tag}-${Date.now()}-${randomBytes(3).toString("hex")}@example.com`;
}

export async function signUp(
  page: Page,
  input: { name: string; email: string; organizationName?: string; password?: string },
) {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill(input.name);
  await page.getByLabel("Work e-mail").fill(input.email);
  await page.getByRole("textbox", { name: "Password", exact: true }).fill(input.password ?? PASSWORD);
  if (input.organizationName) await page.getByLabel("Company name").fill(input.organizationName);
  await page.getByRole("button", { name: "Create account" }).click();
  // New accounts start the onboarding wizard.
  await expect(page).toHaveURL(/\/onboarding/);
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/sign-in");
  await page.getByRole("textbox", { name: "E-mail", exact: true }).fill(email);
  await page.getByRole("textbox", { name: "Password", exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

export async function signOut(page: Page) {
  await page.locator("summary", { hasText: "Account menu for" }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
}

/**
 * Signs in one of the journeys' operators of `role` (ops_admin or ops_viewer, e2e/operators.ts):
 * password, then the TOTP code of the moment. The role's operator that can go soonest signs in.
 */
export async function signInOperator(page: Page, role: E2eOperator["role"] = "admin") {
  await signInOperatorWith(page, soonestOperator(role));
}

/** This operator: password, then a TOTP code the server has not seen yet. */
export async function signInOperatorWith(
  page: Page,
  operator: Pick<E2eOperator, "email" | "file">,
  password = process.env.E2E_OPERATOR_PASSWORD!,
) {
  await signIn(page, operator.email, password);
  await expect(page).toHaveURL(/\/mfa/);
  await page.getByLabel("Authentication code").fill(await nextTotpCode(operator));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/admin\/ops/);
}

/** Every cockpit page and its heading, as the cockpit's nav lists them. */
export const COCKPIT_PAGES: [path: string, heading: string][] = COCKPIT_NAV.map((page) => [page.href, page.heading]);

export interface MailboxMessage {
  to: string[];
  kind: string;
  subject: string;
  text: string;
  listUnsubscribe: string;
  listUnsubscribePost: string;
}

/** Every e-mail of `kind` that `address` received so far, oldest first. */
export async function emailsTo(address: string, kind: string): Promise<MailboxMessage[]> {
  const response = await fetch(`${process.env.E2E_MAILBOX_URL}/messages?to=${encodeURIComponent(address)}`);
  return ((await response.json()) as MailboxMessage[]).filter((m) => m.kind === kind);
}

/** The newest e-mail of `kind` that `address` received in the journeys' mailbox (tests/support/smtp-sink-main.ts), waiting for it to arrive. */
export async function latestEmail(address: string, kind: string): Promise<MailboxMessage> {
  let found: MailboxMessage | undefined;
  await expect
    .poll(
      async () => {
        const response = await fetch(`${process.env.E2E_MAILBOX_URL}/messages?to=${encodeURIComponent(address)}`);
        found = ((await response.json()) as MailboxMessage[]).filter((m) => m.kind === kind).at(-1);
        return Boolean(found);
      },
      { message: `a ${kind} e-mail to ${address}` },
    )
    .toBe(true);
  return found!;
}

/** axe-core over the page as it is now: no serious or critical WCAG 2.1 A/AA violations. */
export async function expectNoSeriousA11yViolations(page: Page, step: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${step}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
  ).toEqual([]);
}
