import { expect, test, type Page } from "@playwright/test";
import { signInOperator } from "./helpers";

// Incident mode is global to the app: this journey runs serially and always leaves it off, with
// every flag it touched back on (playwright.config.ts runs one spec file at a time).
test.describe.configure({ mode: "serial" });

async function restore(page: Page) {
  // incident_mode is the one flag that can be switched while read-only; then the others can be.
  await page.request.put("/api/admin/flags/incident_mode", { data: { enabled: false, reason: "e2e cleanup" } });
  await page.request.put("/api/admin/flags/instant_alerts", { data: { enabled: true } });
}

test("an operator turns on incident mode, writes only under break-glass, then turns it off again", async ({ page }) => {
  await signInOperator(page);
  try {
    await page.goto("/admin/ops/flags");
    await expect(page.getByRole("heading", { name: "Flags & incident", exact: true })).toBeVisible();
    const incident = page.getByTestId("flag-incident_mode");
    const instantAlerts = page.getByTestId("flag-instant_alerts");

    await incident.getByLabel("Reason (optional)").fill("e2e: payments provider outage");
    await incident.getByRole("button", { name: "Turn on incident_mode" }).click();
    const banner = page.getByRole("alert").filter({ hasText: "Read-only: cockpit writes are disabled" });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText("e2e: payments provider outage");

    // The cockpit disables the write, and the server refuses it anyway.
    await expect(instantAlerts.getByRole("button", { name: "Turn off instant_alerts" })).toBeDisabled();
    const refused = await page.request.put("/api/admin/flags/instant_alerts", { data: { enabled: false } });
    expect(refused.status()).toBe(409);
    expect((await refused.json()).code).toBe("read_only");

    // A reason is required (the browser checks its length before the server does).
    await expect(page.getByLabel("Reason", { exact: true })).toHaveAttribute("minlength", "10");
    await page.getByLabel("Reason", { exact: true }).fill("e2e: turning off instant alerts during the outage");
    await page.getByLabel("Duration").selectOption("15");
    await page.getByRole("button", { name: "Start break-glass" }).click();
    const breakGlass = page
      .getByRole("alert")
      .filter({ hasText: /Break-glass active until [A-Z][a-z]{2} \d{1,2}, \d{4}, \d\d:\d\d UTC/ });
    await expect(breakGlass).toBeVisible();

    // The break-glass cookie is HttpOnly, SameSite=Strict, limited to /admin.
    const cookie = (await page.context().cookies()).find((c) => c.name === "beacon_break_glass");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/admin" });

    await instantAlerts.getByRole("button", { name: "Turn off instant_alerts" }).click();
    await expect(instantAlerts.getByText("off", { exact: true })).toBeVisible();
    const audit = await (await page.request.get("/api/admin/audit-log?action=ops.flag.updated&limit=1")).json();
    expect(audit.data[0]).toMatchObject({
      target: { type: "feature_flag", id: "instant_alerts" },
      after: { enabled: false },
      break_glass_session_id: expect.any(String),
    });
    await instantAlerts.getByRole("button", { name: "Turn on instant_alerts" }).click();
    await expect(instantAlerts.getByText("on", { exact: true })).toBeVisible();

    await breakGlass.getByRole("button", { name: "End break-glass" }).click();
    await expect(banner).toBeVisible();
    await expect(breakGlass).toHaveCount(0);
    await expect(instantAlerts.getByRole("button", { name: "Turn off instant_alerts" })).toBeDisabled();

    await incident.getByRole("button", { name: "Turn off incident_mode" }).click();
    await expect(banner).toHaveCount(0);
    await expect(instantAlerts.getByRole("button", { name: "Turn off instant_alerts" })).toBeEnabled();
  } finally {
    await restore(page);
  }
});
