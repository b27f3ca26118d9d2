import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail } from "./helpers";

test("a second organisation cannot read or change the first one's data", async ({ browser }) => {
  const a = await (await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] })).newPage();
  const aEmail = uniqueEmail("alpha");
  await signUp(a, { name: "Alma Alpha", email: aEmail, organizationName: "Alpha Bids" });
  await a.goto("/settings/api-keys");
  await a.getByLabel("Name").fill("Alpha CRM");
  await a.getByRole("button", { name: "Create key" }).click();
  const key = (await a.getByTestId("new-api-key").textContent())!.trim();
  expect(key).toMatch(/^bk_live_/);
  await expect(a.getByText("Authorization: Bearer <key>", { exact: true })).toBeVisible();
  await expect(a.locator("main")).not.toContainText("`");
  await a.getByRole("button", { name: "Copy key" }).click();
  await expect(a.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await a.evaluate(() => navigator.clipboard.readText())).toBe(key);
  // Shown once: after a reload only the prefix is listed.
  await a.reload();
  await expect(a.getByTestId("api-key-row")).toContainText(key.slice(0, 12));
  await expect(a.getByText(key)).toHaveCount(0);
  const alphaKeys = (await (await a.request.get("/api/app/api-keys")).json()).data as { id: string }[];

  const b = await (await browser.newContext()).newPage();
  await signUp(b, { name: "Bo Beta", email: uniqueEmail("beta"), organizationName: "Beta Builders" });
  const members = await (await b.request.get("/api/app/members")).json();
  expect(JSON.stringify(members)).not.toContain(aEmail);
  const steal = await b.request.delete(`/api/app/api-keys/${alphaKeys[0]!.id}`);
  expect(steal.status()).toBe(404);
  expect((await steal.json()).code).toBe("not_found");
  const bKeys = (await (await b.request.get("/api/app/api-keys")).json()).data;
  expect(bKeys).toHaveLength(0);

  // Alpha's key still works and resolves to Alpha, not Beta.
  const me = await b.request.get("/api/v1/me", { headers: { authorization: `Bearer ${key}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).org.name).toBe("Alpha Bids");
  const anonymous = await b.request.get("/api/v1/me");
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()["content-type"]).toContain("application/problem+json");
});

test("operator pages refuse customers: pages redirect, APIs answer 403", async ({ page }) => {
  await signUp(page, { name: "Cora Customer", email: uniqueEmail("customer") });
  await page.goto("/admin/ops");
  await expect(page).toHaveURL(/\/dashboard\?denied=admin/);
  const api = await page.request.get("/api/admin/config");
  expect(api.status()).toBe(403);
  expect((await api.json()).code).toBe("forbidden");
});
