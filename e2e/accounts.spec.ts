import { expect, test } from "@playwright/test";
import { PASSWORD, signIn, signOut, signUp, uniqueEmail } from "./helpers";

test("sign up lands signed in, in a new organisation the user owns", async ({ page }) => {
  const email = uniqueEmail("owner");
  await signUp(page, { name: "Olive Owner", email, organizationName: "Owner Works LLC" });
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { name: "Welcome, Olive Owner" })).toBeVisible();
  await expect(page.getByText("Owner Works LLC · Free plan · you are owner")).toBeVisible();
  await expect(page.getByText("Confirm your e-mail address")).toBeVisible();
});

test("sign out, then sign in again", async ({ page }) => {
  const email = uniqueEmail("returning");
  await signUp(page, { name: "Rita Returning", email });
  await signOut(page);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fdashboard/);
  await signIn(page, email);
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByRole("heading", { name: "Welcome, Rita Returning" })).toBeVisible();
});

test("a wrong password shows an inline error that does not reveal whether the account exists", async ({ page }) => {
  const email = uniqueEmail("careful");
  await signUp(page, { name: "Carl Careful", email });
  await signOut(page);

  await signIn(page, email, "not-the-password");
  const wrongPassword = page.getByRole("alert").filter({ hasText: "do not match" });
  await expect(wrongPassword).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
  // The e-mail the person typed is kept; the password is not.
  await expect(page.getByRole("textbox", { name: "E-mail", exact: true })).toHaveValue(email);
  await expect(page.getByRole("textbox", { name: "Password", exact: true })).toHaveValue("");
  const knownMessage = await wrongPassword.textContent();

  await signIn(page, uniqueEmail("nobody"), PASSWORD);
  const unknownMessage = await page.getByRole("alert").filter({ hasText: "do not match" }).textContent();
  expect(unknownMessage).toBe(knownMessage);
});

test("signing up again with an existing e-mail does not sign in or say whose account it is", async ({ page }) => {
  const email = uniqueEmail("twice");
  await signUp(page, { name: "Tess Twice", email });
  await signOut(page);
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Somebody Else");
  await page.getByLabel("Work e-mail").fill(email.toUpperCase());
  await page.getByRole("textbox", { name: "Password", exact: true }).fill("another-password-123");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "could not create an account" })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up/);
  await expect(page.getByLabel("Your name")).toHaveValue("Somebody Else");
});

test("inline validation explains a bad e-mail and a short password before submitting", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Work e-mail").fill("not-an-email");
  await page.getByRole("textbox", { name: "Password", exact: true }).focus();
  await expect(page.getByText("Enter a valid e-mail address.")).toBeVisible();
  await page.getByRole("textbox", { name: "Password", exact: true }).fill("short");
  await page.getByLabel("Your name").focus();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
});
