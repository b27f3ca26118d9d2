import { expect, test } from "@playwright/test";
import { COCKPIT_PAGES, expectNoSeriousA11yViolations, signInOperator } from "./helpers";

// Every cockpit page as an ops_admin sees it (the most controls), each test walking all of them.
test("cockpit pages have no serious or critical accessibility violations", async ({ page }) => {
  test.slow(); // every cockpit page, each checked by axe
  await signInOperator(page);
  for (const [path, heading] of COCKPIT_PAGES) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: heading, exact: true }), path).toBeVisible();
    await expectNoSeriousA11yViolations(page, path);
  }
});

// On a 390 px phone no page scrolls sideways (wide tables scroll in their own box).
test("cockpit pages fit a phone", async ({ page }) => {
  test.slow(); // every cockpit page
  await page.setViewportSize({ width: 390, height: 844 });
  await signInOperator(page);
  for (const [path, heading] of COCKPIT_PAGES) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: heading, exact: true }), path).toBeVisible();
    const { overflow, widest } = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      // The outermost element that sticks out names the culprit in the failure message.
      const clipped = (el: Element) => {
        for (let p = el.parentElement; p; p = p.parentElement)
          if (["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) return true;
        return false;
      };
      // An absolutely positioned element (an sr-only label, say) escapes a scroll box that is not its containing block.
      const culprit = [...document.querySelectorAll("main *")].find(
        (el) =>
          el.getBoundingClientRect().right > width + 1 &&
          (!clipped(el) || getComputedStyle(el).position === "absolute"),
      );
      return {
        overflow: document.documentElement.scrollWidth - width,
        widest: culprit ? `${culprit.tagName.toLowerCase()}.${culprit.className}` : "",
      };
    });
    expect(overflow, `${path} is wider than the screen (${widest})`).toBeLessThanOrEqual(0);
  }
});
