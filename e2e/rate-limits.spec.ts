import { expect, test } from "@playwright/test";
import { signIn, signOut, signUp, uniqueEmail } from "./helpers";

// RATE_LIMITS.signInPerIpAndEmail in lib/ratelimit/limits.ts.
const SIGN_IN_ATTEMPTS_PER_IP_AND_EMAIL = 10;
const SIGN_IN_WINDOW_MS = 15 * 60_000;

/**
 * Waits until a new window of the limiter has at least `needMs` to run. Its sliding window
 * weighs the previous window's count by the share of it still inside the last 15 minutes and
 * rounds down, so attempts that straddle a window's start can count one short.
 */
async function awayFromWindowStart(needMs: number) {
  const left = SIGN_IN_WINDOW_MS - (Date.now() % SIGN_IN_WINDOW_MS);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 1_000));
}

test("repeated wrong passwords for one e-mail end in 'Too many attempts'; another account still signs in", async ({
  browser,
}) => {
  const guessed = uniqueEmail("guessed");
  const other = uniqueEmail("unaffected");
  const setup = await browser.newContext();
  const setupPage = await setup.newPage();
  await signUp(setupPage, { name: "Gail Guessed", email: guessed });
  await signOut(setupPage);
  await signUp(setupPage, { name: "Otto Other", email: other });
  await setup.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  test.setTimeout(90_000);
  await awayFromWindowStart(30_000);
  for (let i = 0; i < SIGN_IN_ATTEMPTS_PER_IP_AND_EMAIL; i++) {
    // A different made-up X-Forwarded-For each time: the server counts the real peer, so it does not help.
    await page.setExtraHTTPHeaders({ "x-forwarded-for": `203.0.113.${i + 1}` });
    await signIn(page, guessed, `wrong-password-${i}`);
    await expect(page.getByRole("alert").filter({ hasText: "do not match an account" })).toBeVisible();
  }

  // Even the right password is refused now, inline, and nothing signs in.
  await signIn(page, guessed);
  await expect(
    page.getByRole("alert").filter({ hasText: /^Too many attempts\. Try again in \d+ seconds?\.$/ }),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);

  // The limit is per (IP, e-mail): another account signs in from the same address.
  await signIn(page, other);
  await expect(page).toHaveURL(/\/dashboard/);
  await context.close();
});
