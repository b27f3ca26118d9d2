import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousA11yViolations, signUp, uniqueEmail } from "./helpers";

async function pickNaics(page: Page, query: string, code: string) {
  const combo = page.getByRole("combobox", { name: "NAICS codes" });
  await combo.fill(query);
  await page.getByRole("option", { name: new RegExp(`^${code} `) }).click();
  await expect(page.getByRole("list", { name: "Chosen NAICS codes" })).toContainText(code);
}

for (const viewport of [
  { name: "phone", width: 360, height: 780 },
  { name: "desktop", width: 1280, height: 900 },
]) {
  test(`onboarding from sign-up to real matches (${viewport.name})`, async ({ page }) => {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await signUp(page, { name: "Cy Contractor", email: uniqueEmail(`onb-${viewport.name}`) });

    // Step 1: the business profile. Each step is a page of its own.
    await expect(page).toHaveURL(/\/onboarding\/profile$/);
    await expectNoSeriousA11yViolations(page, "profile");
    await page.getByLabel("Company name").fill("Cyber Shield LLC");
    await pickNaics(page, "5415", "5415");
    const keywords = page.getByLabel("Keywords (optional)");
    await keywords.fill("software");
    await keywords.press("Enter");
    await expect(page.getByRole("list", { name: "Keywords" })).toContainText("software");
    // The page never scrolls sideways on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await page.getByRole("button", { name: "Save and continue" }).click();

    // Step 2: the first alert, prefilled from the profile.
    await expect(page).toHaveURL(/\/onboarding\/alert$/);
    await expect(page.getByLabel("Alert name")).toHaveValue(/Cyber Shield LLC/);
    await expectNoSeriousA11yViolations(page, "alert");
    await page.getByRole("button", { name: "Create alert and see matches" }).click();

    // Step 3: open matches from the bundled SAM.gov day (said so), the keyword's hit first, with why they matched.
    await expect(
      page.getByRole("status").filter({ hasText: "Sample data: SAM.gov notices of Apr 24, 2026" }),
    ).toBeVisible();
    await expect(page.getByRole("article").first()).toContainText("Software");
    await expect(page.getByRole("article").first().locator("mark").first()).toBeVisible();
    await expectNoSeriousA11yViolations(page, "matches");
    await expect(page).toHaveURL(/\/onboarding\/matches$/);
    await page.getByRole("button", { name: "Continue to plans" }).click();

    // Step 4: plan choice; free finishes onboarding.
    await expect(page).toHaveURL(/\/onboarding\/plan$/);
    await expect(page.getByRole("button", { name: "Continue free" })).toBeVisible();
    await expectNoSeriousA11yViolations(page, "plan");
    await page.getByRole("button", { name: "Continue free" }).click();
    await expect(page).toHaveURL(/\/dashboard/);

    // The alert exists and onboarding is done: the wizard says so on return.
    await page.goto("/alerts");
    await expect(page.getByText("Cyber Shield LLC", { exact: false }).first()).toBeVisible();
    await page.goto("/onboarding");
    await expect(page).toHaveURL(/\/onboarding\/done$/);
    await expect(page.getByRole("heading", { name: "You are all set" })).toBeVisible();
  });
}

test("step 1 works by keyboard alone, and nothing is lost on refresh", async ({ page }) => {
  await signUp(page, { name: "Kay Keyboard", email: uniqueEmail("keys") });
  await page.getByLabel("Company name").focus();
  await page.keyboard.type("Keyboard Builders Inc");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("combobox", { name: "NAICS codes" })).toBeFocused();
  await page.keyboard.type("cyber");
  await expect(page.getByRole("option").first()).toBeVisible();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("list", { name: "Chosen NAICS codes" }).getByRole("listitem")).toHaveCount(1);
  await page.keyboard.press("Tab");
  // Tab may land on the chip's remove button first; go on until the keyword field has focus.
  for (
    let i = 0;
    i < 5 && !(await page.getByLabel("Keywords (optional)").evaluate((el) => el === document.activeElement));
    i++
  ) {
    await page.keyboard.press("Tab");
  }
  await page.keyboard.type("incident response");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("list", { name: "Keywords" })).toContainText("incident response");
  // Enter in the keyword field adds a chip; it must not have submitted the form.
  await expect(page).toHaveURL(/\/onboarding\/profile$/);

  await page.reload();
  await expect(page.getByLabel("Company name")).toHaveValue("Keyboard Builders Inc");
  await expect(page.getByRole("list", { name: "Keywords" })).toContainText("incident response");

  await page.getByRole("button", { name: "Save and continue" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Alert name")).toBeVisible();
});

test("each step is a page: back and forward move between steps, a reload keeps what was saved", async ({ page }) => {
  await signUp(page, { name: "Hal History", email: uniqueEmail("history") });
  await page.getByLabel("Company name").fill("History Works LLC");
  await pickNaics(page, "5415", "5415");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page).toHaveURL(/\/onboarding\/alert$/);
  await page.getByRole("button", { name: "Create alert and see matches" }).click();
  await expect(page).toHaveURL(/\/onboarding\/matches$/);

  // Back shows the step as it is now (the alert saved), not as the history left it.
  await page.goBack();
  await expect(page).toHaveURL(/\/onboarding\/alert$/);
  await expect(page.getByText("Your alert “History Works LLC opportunities” is saved.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Create alert and see matches" })).toHaveCount(0);
  await page.goForward();
  await expect(page).toHaveURL(/\/onboarding\/matches$/);
  await page.reload();
  await expect(page.getByRole("button", { name: "Continue to plans" })).toBeVisible();

  // A step already reached opens by its link.
  await page.goto("/onboarding/profile");
  await expect(page.getByLabel("Company name")).toHaveValue("History Works LLC");
});

test("the server enforces the order of the steps", async ({ page }) => {
  await signUp(page, { name: "Ozzy Order", email: uniqueEmail("order") });
  await page.goto("/onboarding/plan");
  // Cannot skip ahead: back on the profile step.
  await expect(page).toHaveURL(/\/onboarding\/profile$/);
  await expect(page.getByLabel("Company name")).toBeVisible();
  await expect(page.getByRole("button", { name: "Continue free" })).toHaveCount(0);
});
