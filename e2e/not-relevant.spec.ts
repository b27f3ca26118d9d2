import { expect, test, type Page } from "@playwright/test";
import { signUp, uniqueEmail } from "./helpers";

// Two sources-sought notices of the same VA office (NAICS 238210, the bundled day): like each other.
const MARKED =
  "Z1DA--Construction Project 626A4-22-104 Video Surveillance Security TN Valley Heatlhcare System (TVHS) Alvin C. York Campus";
const SIBLING =
  "Z1DA--Construction Project 626-22-103_Video Surveillance Security TN Valley Healthcare System Nashville Campus";
// A solicitation outside the profile's code: 20 points, below the pair (43 each) until the mark takes 30 from the sibling.
const OTHER = "Kone Traction Elevator Preventive Maintenance Service";

/** The result titles, top to bottom. */
async function order(page: Page) {
  const titles = page.getByTestId("opportunity-result").getByRole("heading", { level: 3 });
  await expect(titles.first()).toBeVisible();
  return (await titles.allTextContents()).map((t) => t.trim());
}

// Best fit for an electrical contractor: marking a notice not relevant takes it out of the list and
// drops the notice like it below others; Undo brings both back; Settings lists the marks.
test("not relevant: a match leaves the list, a similar one drops in rank, and Undo restores them", async ({ page }) => {
  await signUp(page, { name: "Nora Nothanks", email: uniqueEmail("not-relevant") });
  await page.getByLabel("Company name").fill("Volt Works LLC");
  const combo = page.getByRole("combobox", { name: "NAICS codes" });
  await combo.fill("238210");
  await page.getByRole("option", { name: /^238210 / }).click();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByLabel("Alert name")).toBeVisible();

  await page.goto("/opportunities?naics=2382&limit=100");
  await page.getByRole("navigation", { name: "Sort results" }).getByRole("link", { name: "Best fit" }).click();
  await expect(page).toHaveURL(/sort=fit/);
  const before = await order(page);
  expect(before).toContain(MARKED);
  expect(before.indexOf(SIBLING)).toBeLessThan(before.indexOf(OTHER));
  const sibling = page.getByTestId("opportunity-result").filter({ hasText: SIBLING });
  await expect(sibling.getByTestId("fit-line")).toContainText("Fit 43");
  await expect(sibling.getByTestId("fit-line")).toContainText("Exact NAICS 238210 · Sources Sought");

  await page.getByRole("button", { name: `Not relevant: ${MARKED}` }).click();
  await expect(page.getByTestId("not-relevant-undo")).toContainText(MARKED);
  const after = await order(page);
  expect(after).not.toContain(MARKED);
  expect(after.indexOf(SIBLING)).toBeGreaterThan(after.indexOf(OTHER));
  await expect(sibling.getByTestId("fit-line")).toContainText("Fit 13");
  await expect(sibling.getByTestId("fit-line")).toContainText("Like a notice your team marked not relevant");
  // The rest keep their order.
  expect(after.filter((t) => t !== SIBLING)).toEqual(before.filter((t) => t !== MARKED && t !== SIBLING));

  await page.getByRole("button", { name: `Undo not relevant: ${MARKED}` }).click();
  await expect(page.getByTestId("not-relevant-undo")).toHaveCount(0);
  expect(await order(page)).toEqual(before);

  // Marked again, it is listed in Settings → Not relevant, where Restore takes it back too.
  await page.getByRole("button", { name: `Not relevant: ${MARKED}` }).click();
  await expect(page.getByTestId("not-relevant-undo")).toBeVisible();
  await page.getByRole("link", { name: "1 marked not relevant" }).click();
  const row = page.getByTestId("not-relevant-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(MARKED);
  await expect(row).toContainText("by Nora Nothanks");
  await row.getByRole("button", { name: `Restore ${MARKED}` }).click();
  await expect(page.getByText("Nothing marked not relevant")).toBeVisible();

  // A notice's page explains its fit in the card's words.
  await page.goto("/opportunities?naics=2382&limit=100&sort=fit");
  await page.getByRole("link", { name: SIBLING }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(SIBLING);
  await expect(page.getByTestId("fit-line")).toContainText("Fit 43");
  await expect(page.getByTestId("fit-line")).toContainText("Exact NAICS 238210 · Sources Sought");
});
