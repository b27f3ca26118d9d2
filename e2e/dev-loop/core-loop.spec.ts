import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { signInOperatorWith, signUp, uniqueEmail } from "../helpers";
import { freshCloneEnv } from "./fresh-clone-env";

const run = promisify(execFile);
const FIVE_MINUTES = 5 * 60_000;

async function pickNaics(page: Page, code: string) {
  await page.getByRole("combobox", { name: "NAICS codes" }).fill(code);
  await page.getByRole("option", { name: new RegExp(`^${code} `) }).click();
  await expect(page.getByRole("list", { name: "Chosen NAICS codes" })).toContainText(code);
}

async function pickState(page: Page, filter: string, name: string) {
  await page.getByLabel("Filter states").fill(filter);
  await page.getByRole("checkbox", { name }).check();
}

/**
 * The promise of a fresh clone (issue: the core loop), on `npm run dev` with nothing else: a new
 * contractor onboards with a realistic IT profile and sees open matches; within five minutes the
 * demo feed releases a notice and an in-process job run mails the instant alert; a second
 * terminal's CLI creates an operator beside the running server, and the cockpit shows the e-mail
 * and the run.
 */
test("fresh clone: onboarding shows open matches, the instant alert arrives within five minutes", async ({
  page,
  browser,
}) => {
  const email = uniqueEmail("dev-loop");
  await signUp(page, { name: "Ivy Integrator", email });

  await page.getByLabel("Company name").fill("Capital IT Partners LLC");
  await pickNaics(page, "541511");
  await pickNaics(page, "541512");
  const keywords = page.getByLabel("Keywords (optional)");
  for (const word of ["cloud", "cybersecurity", "software", "network"]) {
    await keywords.fill(word);
    await keywords.press("Enter");
  }
  await page.getByRole("checkbox", { name: "Total Small Business (FAR 19.5)" }).check();
  await pickState(page, "virginia", "Virginia (VA)");
  await pickState(page, "maryland", "Maryland (MD)");
  await pickState(page, "columbia", "District of Columbia (DC)");
  await page.getByRole("button", { name: "Save and continue" }).click();

  await expect(page.getByLabel("Alert name")).toHaveValue(/Capital IT Partners/);
  await page.getByRole("radio", { name: /^Instant/ }).check();
  await page.getByRole("button", { name: "Create alert and see matches" }).click();

  // Open notices as of the snapshot's day, said so, at least five of them.
  await expect(
    page.getByRole("status").filter({ hasText: "Sample data: SAM.gov notices of Apr 24, 2026" }),
  ).toBeVisible();
  await expect(page.getByRole("article").nth(4)).toBeVisible();
  await page.getByRole("button", { name: "Continue to plans" }).click();
  await page.getByRole("button", { name: "Continue free" }).click();
  await expect(page).toHaveURL(/\/dashboard/);
  const onboardedAt = Date.now();

  // A second terminal, while the server holds the embedded database.
  const operator = {
    email: `ops-${randomBytes(4).toString("hex")}@beacon.test`,
    password: `ops-${randomBytes(12).toString("hex")}`,
  };
  const { stdout } = await run(
    "npm",
    [
      "run",
      "-s",
      "cli",
      "--",
      "operator:create",
      "--email",
      operator.email,
      "--password",
      operator.password,
      "--role",
      "ops_admin",
    ],
    { env: { ...freshCloneEnv(process.env), PGLITE_DATA_DIR: process.env.E2E_DEV_PGLITE_DIR }, timeout: 120_000 },
  );
  const file = path.join(os.tmpdir(), `beacon-dev-loop-operator-${randomBytes(6).toString("hex")}.json`);
  fs.writeFileSync(file, stdout);

  const ops = await (await browser.newContext()).newPage();
  await signInOperatorWith(ops, { email: operator.email, file }, operator.password);
  await expect(ops.getByText("Background functions: in-process (development)")).toBeVisible();

  // The instant alert, mailed to the dev mailbox by a recorded run, within five minutes.
  const alertEmail = ops.getByTestId("email-row").filter({ hasText: "alert_digest" });
  await expect
    .poll(
      async () => {
        await ops.goto(`/admin/ops/emails?to=${encodeURIComponent(email)}`);
        return alertEmail.count();
      },
      { timeout: FIVE_MINUTES - (Date.now() - onboardedAt), intervals: [15_000] },
    )
    .toBeGreaterThan(0);
  await expect(alertEmail.first()).toContainText(/new opportunit/);
  await expect(alertEmail.first()).toContainText("not sent (no SMTP)");

  await ops.goto("/admin/ops/jobs?function=instant-alerts&status=succeeded");
  await expect(ops.getByTestId("job-run-row").filter({ hasText: "local" }).first()).toBeVisible();
  fs.rmSync(file, { force: true });
});
