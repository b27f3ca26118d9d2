import { expect, test } from "@playwright/test";
import { COCKPIT_PAGES, expectNoSeriousA11yViolations, signInOperator } from "./helpers";

// Every cockpit page as an ops_admin sees it (the most controls): no serious or critical axe violations.
test("cockpit pages have no serious or critical accessibility violations", async ({ page }) => {
  await signInOperator(page, "oncall");
  for (const [path, heading] of COCKPIT_PAGES) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: heading, exact: true }), path).toBeVisible();
    await expectNoSeriousA11yViolations(page, path);
  }
});
