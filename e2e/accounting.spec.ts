import fs from "node:fs";
import { parse } from "csv-parse/sync";
import { expect, test } from "@playwright/test";
import { signInOperator, signUp, uniqueEmail } from "./helpers";

const HOSTILE_ORG = '=HYPERLINK("x")';

test("an operator downloads the accounting CSV; an org named like a formula stays text", async ({ browser }) => {
  // A customer whose company name is a spreadsheet formula.
  const customer = await (await browser.newContext()).newPage();
  await signUp(customer, { name: "Formula Fan", email: uniqueEmail("formula"), organizationName: HOSTILE_ORG });

  const ops = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await signInOperator(ops);
  await ops.goto("/admin/ops/config");
  await expect(ops.getByRole("heading", { name: "Accounting export", exact: true })).toBeVisible();
  const [download] = await Promise.all([
    ops.waitForEvent("download"),
    ops.getByRole("button", { name: "Download accounting CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^beacon-accounting-all-\d{4}-\d{2}-\d{2}\.csv$/);

  const records = parse(fs.readFileSync((await download.path())!, "utf8"), { bom: true }) as string[][];
  const [header, ...rows] = records;
  expect(header!.slice(0, 5)).toEqual(["org_id", "org_name", "plan", "subscription_status", "stripe_customer_id"]);
  const name = header!.indexOf("org_name");
  const hostile = rows.filter((r) => r[name] === `'${HOSTILE_ORG}`);
  expect(hostile).toHaveLength(1);
  expect(hostile[0]![header!.indexOf("plan")]).toBe("free");
  expect(rows.filter((r) => /^[=+\-@\t\r]/.test(r[name] ?? ""))).toEqual([]);

  // The download is in the audit log.
  await ops.goto("/admin/ops/audit");
  await expect(ops.getByText("ops.accounting.exported").first()).toBeVisible();
});

test("metrics answer Prometheus text only with the bearer token", async ({ request }) => {
  // Pages are timed under their pattern, never their URL (an invitation's path is its token).
  expect((await request.get("/invitations/e2e-not-a-real-token")).status()).toBeLessThan(500);
  const refused = await request.get("/api/metrics");
  expect(refused.status()).toBe(401);
  expect(refused.headers()["content-type"]).toContain("application/problem+json");
  const token = process.env.E2E_METRICS_TOKEN;
  expect(token, "E2E_METRICS_TOKEN is set for the run").toBeTruthy();
  expect((await request.get("/api/metrics", { headers: { authorization: "Bearer not-the-token" } })).status()).toBe(
    401,
  );
  const scraped = await request.get("/api/metrics", { headers: { authorization: `Bearer ${token}` } });
  expect(scraped.status()).toBe(200);
  expect(scraped.headers()["content-type"]).toContain("text/plain");
  const text = await scraped.text();
  for (const name of [
    "beacon_http_request_duration_seconds_bucket",
    "beacon_ready",
    "beacon_outbox_backlog",
    "beacon_quota_decrements_total",
  ])
    expect(text).toContain(name);
  expect(text).toMatch(
    /beacon_http_request_duration_seconds_count\{route="\/api\/metrics",method="GET",status_class="4xx"\} [1-9]/,
  );
  expect(text).toMatch(
    /beacon_http_request_duration_seconds_count\{route="page \/invitations\/\[token\]",method="GET",status_class="[24]xx"\} [1-9]/,
  );
  expect(text).not.toContain("e2e-not-a-real-token");
});
