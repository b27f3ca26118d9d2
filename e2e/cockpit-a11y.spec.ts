import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations, signInOperator } from "./helpers";

// Every cockpit page as an ops_admin sees it (the most controls): no serious or critical axe violations.
const COCKPIT_PAGES: [path: string, heading: string][] = [
  ["/admin/ops", "Operations"],
  ["/admin/ops/alerts", "Ops alerts"],
  ["/admin/ops/customers", "Customers"],
  ["/admin/ops/jobs", "Job runs"],
  ["/admin/ops/dead-letters", "Dead letters"],
  ["/admin/ops/stripe-events", "Stripe events"],
  ["/admin/ops/audit", "Audit log"],
  ["/admin/ops/emails", "E-mails"],
  ["/admin/ops/flags", "Flags & incident"],
  ["/admin/ops/config", "Configuration"],
];

test("cockpit pages have no serious or critical accessibility violations", async ({ page }) => {
  await signInOperator(page, "oncall");
  for (const [path, heading] of COCKPIT_PAGES) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: heading, exact: true }), path).toBeVisible();
    await expectNoSeriousA11yViolations(page, path);
  }
});
