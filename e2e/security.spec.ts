import { expect, test } from "@playwright/test";
import { PASSWORD, signOut, signUp, uniqueEmail } from "./helpers";

// A real browser against the production build: pages carry the security headers (and still
// render with them), sign-in never leaves the site whatever callbackUrl says, and the session
// cookie is out of reach of scripts.

test("pages carry the security headers and still render and hydrate under them", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) errors.push(message.text());
  });
  const response = await page.goto("/sign-in");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-powered-by"]).toBeUndefined();
  // Pages are traceable like API calls: proxy.ts gives each request its id.
  expect(headers["x-request-id"]).toMatch(/^req_[A-Za-z0-9_-]{16}$/);
  // The tab shows Beacon's icon.
  const icon = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect((await page.request.get(icon!)).status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Sign in to Beacon", exact: true })).toBeVisible();
  expect(errors).toEqual([]);
});

test("sign-in with a hostile callbackUrl lands on the site; the session cookie is HttpOnly and SameSite=Lax", async ({
  page,
  context,
  baseURL,
}) => {
  const email = uniqueEmail("redirect");
  await signUp(page, { name: "Redirect Tester", email });
  const session = (await context.cookies()).find((c) => c.name.endsWith("authjs.session-token"));
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  expect(await page.evaluate(() => document.cookie)).not.toContain("authjs.session-token");
  await signOut(page);

  for (const destination of [
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "javascript:alert(document.domain)",
  ]) {
    await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(destination)}`);
    await page.getByRole("textbox", { name: "E-mail", exact: true }).fill(email);
    await page.getByRole("textbox", { name: "Password", exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/(dashboard|onboarding)/);
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
    await signOut(page);
  }

  // The Auth.js endpoint itself, asked directly.
  const response = await page.request.get(
    `/api/auth/signin?callbackUrl=${encodeURIComponent("https://evil.example/")}`,
    { maxRedirects: 0 },
  );
  expect(response.status()).toBeLessThan(400);
  expect(response.headers()["location"] ?? "").not.toContain("evil.example");
});
