import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail } from "./helpers";

test("the API serves the bundled opportunities: NAICS prefix filter, detail, and pages", async ({ page }) => {
  await signUp(page, { name: "Ada API", email: uniqueEmail("api"), organizationName: "API Buyers" });
  const created = await page.request.post("/api/app/api-keys", { data: { name: "e2e" } });
  expect(created.status()).toBe(201);
  const { key } = await created.json();
  const auth = { authorization: `Bearer ${key}` };

  // Every status: the seeded part of the bundled day, open or not.
  const search = await page.request.get("/api/v1/opportunities?naics=5415&status=all&limit=100", { headers: auth });
  expect(search.status()).toBe(200);
  const body = await search.json();
  expect(body.data.length).toBeGreaterThan(10);
  expect(body.data.every((o: { naics_code: string }) => o.naics_code.startsWith("5415"))).toBe(true);
  expect(body.data.map((o: { title: string }) => o.title)).toContain(
    "Request For Proposals: HAF/A2 Publicly Available Information (PAI) Alerting Services for Department of War (DoW) Enterprise Licensing",
  );
  expect(body.feed).toEqual({ live: false, reference_date: "2026-04-25T03:59:59.999Z" });
  for (const field of [
    "notice_id",
    "status",
    "title",
    "solicitation_number",
    "agency",
    "type",
    "naics_code",
    "set_aside",
    "posted_date",
    "response_deadline",
    "state",
    "url",
    "description_excerpt",
  ]) {
    expect(body.data[0]).toHaveProperty(field);
  }

  const detail = await page.request.get("/api/v1/opportunities/6c9ea4e600d24c14a70757fa7ed6811c", { headers: auth });
  expect(detail.status()).toBe(200);
  expect(await detail.json()).toMatchObject({ naics_code: "541511", status: "open" });
  const missing = await page.request.get("/api/v1/opportunities/doesnotexist", { headers: auth });
  expect(missing.status()).toBe(404);

  // Keyset pages cover the set once.
  const seen = new Set<string>();
  let cursor: string | null = null;
  do {
    const url: string = `/api/v1/opportunities?naics=5415&status=all&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const pageBody = await (await page.request.get(url, { headers: auth })).json();
    for (const o of pageBody.data) {
      expect(seen.has(o.notice_id)).toBe(false);
      seen.add(o.notice_id);
    }
    cursor = pageBody.next_cursor;
  } while (cursor);
  expect(seen.size).toBe(body.data.length);

  const bad = await page.request.get("/api/v1/opportunities?naics=banana&limit=500", { headers: auth });
  expect(bad.status()).toBe(422);
  expect((await bad.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual(["limit", "naics.0"]);
});

test("signed-in search: filters live in the URL and results explain the match", async ({ page }) => {
  await signUp(page, { name: "Sam Searcher", email: uniqueEmail("search") });
  await page.goto("/opportunities");
  await page.getByLabel("Keywords").fill("software");
  const naics = page.getByRole("combobox", { name: "NAICS codes" });
  await naics.fill("5415");
  await naics.press("Enter");
  await expect(page.getByRole("list", { name: "Chosen NAICS codes" })).toContainText("5415");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/q=software/);
  await expect(page).toHaveURL(/naics=5415/);
  const first = page.getByTestId("opportunity-result").first();
  await expect(first.locator("mark").first()).toBeVisible();
  await expect(first.getByText("“software”")).toBeVisible();
  await first.getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: "Description" })).toBeVisible();
});
