import { createHash, createHmac, randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { REFRESH_MS } from "../app/admin/ops/overview-poller";
import { signInOperator } from "./helpers";

/** JSON with keys sorted at every level: what the SDK signs (it canonicalises the parsed body). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Makes the server record a failed heartbeat run the way Inngest would: a signed request to
 * /api/inngest for the run's last attempt, carrying the step's final error as Inngest sends it
 * back after the step exhausted its retries. (No Inngest server runs in e2e.)
 */
async function failHeartbeatRunThroughServeEndpoint(request: APIRequestContext) {
  const stepId = createHash("sha1").update("beat").digest("hex");
  const event = {
    name: "inngest/scheduled.timer",
    data: { cron: "* * * * *" },
    id: `e2e-cron-${randomUUID()}`,
    ts: Date.now(),
  };
  const body = canonical({
    version: 1,
    event,
    events: [event],
    steps: { [stepId]: { type: "error", error: { name: "Error", message: "e2e: scheduler lost its lease" } } },
    ctx: {
      run_id: `e2e-run-${randomUUID()}`,
      attempt: 3,
      max_attempts: 4,
      disable_immediate_execution: true,
      use_api: false,
      stack: { stack: [stepId], current: 1 },
    },
  });
  const ts = Math.floor(Date.now() / 1000).toString();
  const key = process.env.E2E_INNGEST_SIGNING_KEY!.replace(/^signkey-[\w]+-/, "");
  const signature = createHmac("sha256", key).update(body).update(ts).digest("hex");
  const response = await request.post("/api/inngest?fnId=beacon-heartbeat&stepId=step", {
    headers: { "content-type": "application/json", "x-inngest-signature": `t=${ts}&s=${signature}` },
    data: body,
  });
  expect(response.status(), await response.text()).not.toBe(401);
}

test("an operator finds a failed run, re-runs it, then re-runs every failed heartbeat run by filter", async ({
  page,
}) => {
  await failHeartbeatRunThroughServeEndpoint(page.request);
  await failHeartbeatRunThroughServeEndpoint(page.request);
  await signInOperator(page);

  await page.goto("/admin/ops/jobs?function=heartbeat&status=failed");
  await expect(page.getByRole("heading", { name: "Job runs", exact: true })).toBeVisible();
  const failedRows = page.getByTestId("job-run-row");
  await expect(failedRows.first()).toContainText("scheduler lost its lease");
  const matching = await failedRows.count();
  expect(matching).toBeGreaterThanOrEqual(2);

  await failedRows.first().getByRole("link", { name: "heartbeat" }).click();
  await expect(page.getByRole("heading", { name: "heartbeat run", exact: true })).toBeVisible();
  await expect(page.getByText("e2e: scheduler lost its lease").first()).toBeVisible();
  // A failed run is over: nothing to cancel.
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
  await page.getByRole("button", { name: "Re-run" }).click();
  await expect(page.getByText(/Re-runs:/)).toBeVisible();
  await expect(
    page.getByRole("link", { name: /^succeeded [A-Z][a-z]{2} \d{1,2}, \d{4}, \d\d:\d\d:\d\d UTC$/ }),
  ).toBeVisible();

  // Bulk: the filter names the count; a wrong confirmation is refused, the right one re-runs them all.
  await page.goto("/admin/ops/jobs?function=heartbeat&status=failed");
  const form = page.getByRole("form", { name: "Bulk re-run" });
  await expect(form).toContainText(`${matching} run(s) match this filter — re-run all ${matching}`);
  await form.getByLabel("Name of the operation").fill("e2e: replay lost heartbeats");
  await form.getByLabel(`Type ${matching} to confirm`).fill(String(matching + 1));
  await form.getByRole("button", { name: `Re-run all ${matching}` }).click();
  await expect(form.getByText(`${matching} runs match this filter now, not ${matching + 1}`)).toBeVisible();
  await form.getByLabel(`Type ${matching} to confirm`).fill(String(matching));
  await form.getByRole("button", { name: `Re-run all ${matching}` }).click();
  await expect(page.getByText(`Re-ran ${matching} run(s). One audit entry records them.`)).toBeVisible();

  await page.goto("/admin/ops/audit");
  await page.getByLabel("Search").fill("job_run.bulk_rerun");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("e2e: replay lost heartbeats").first()).toBeVisible();
});

test("an operator pauses a scheduled function and resumes it", async ({ page }) => {
  await signInOperator(page);
  await page.goto("/admin/ops/jobs");
  const schedule = page.getByTestId("schedule-retention");
  await expect(schedule.getByText("active")).toBeVisible();
  await schedule.getByRole("button", { name: "Pause retention" }).click();
  await expect(schedule.getByText(/^paused since /)).toBeVisible();
  await schedule.getByRole("button", { name: "Resume retention" }).click();
  await expect(schedule.getByText("active")).toBeVisible();
  await expect(schedule.getByRole("button", { name: "Pause retention" })).toBeVisible();
});

test("the overview shows the 24-hour job chart and the business tiles, and refreshes them", async ({ page }) => {
  await signInOperator(page);
  // The page's own timers on a clock the journey moves: the 15-s refresh is checked without waiting for it.
  await page.clock.install();
  await page.goto("/admin/ops");
  await expect(page.getByRole("img", { name: "Job runs finished per hour, last 24 hours" })).toBeVisible();
  await expect(page.getByRole("img", { name: "p95 run duration per hour, last 24 hours" })).toBeVisible();
  const mrr = page.getByTestId("mrr-tile");
  await expect(mrr).toContainText("MRR");
  await expect(mrr).toContainText(/\$\d/);
  await expect(page.getByTestId("business-tiles")).toContainText(/Churn, last 30 days/);
  await expect(page.getByTestId("funnel")).toContainText("First alert saved");
  await page.getByText("Numbers per hour").click();
  await expect(page.getByRole("columnheader", { name: "Succeeded" })).toBeVisible();
  // Live refresh: the page polls the stats API every 15 s (the poller loads after the first paint).
  const refreshed = page.waitForResponse((r) => r.url().endsWith("/api/admin/stats") && r.status() === 200);
  let polled = false;
  void refreshed.then(() => (polled = true));
  await expect
    .poll(async () => {
      await page.clock.fastForward(REFRESH_MS);
      return polled;
    })
    .toBe(true);
  expect((await (await refreshed).json()).jobs_last_24h).toHaveLength(24);
  // Each tile leads to its list: stuck customers to the customers' Stuck tab.
  await page.getByRole("link", { name: /Stuck customers/ }).click();
  await expect(page.getByRole("heading", { name: "Customers", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: /^Stuck \(\d+\)$/ })).toHaveAttribute("aria-current", "page");
});
