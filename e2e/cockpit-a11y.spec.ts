import { expect, test } from "@playwright/test";
import { COCKPIT_PAGES, expectNoSeriousA11yViolations, signInOperator } from "./helpers";

// Every cockpit page as an ops_admin sees it (the most controls): no serious or critical axe violations.
test("cockpit pages have no serious or critical accessibility violations and fit a phone", async ({ page }) => {
  await signInOperator(page, "oncall");
  for (const [path, heading] of COCKPIT_PAGES) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: heading, exact: true }), path).toBeVisible();
    await expectNoSeriousA11yViolations(page, path);
  }

  // On a 390 px phone no page scrolls sideways (wide tables scroll in their own box).
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [path, heading] of COCKPIT_PAGES) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: heading, exact: true }), path).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${path} is wider than the screen`).toBeLessThanOrEqual(0);
  }
});
