import fs from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations, latestEmail, signIn, signUp, uniqueEmail } from "./helpers";
import { cronTrigger, runInngestFunction } from "./inngest";
import { paidOwner } from "./paid-orgs";
import { reminderNotice } from "./reminder-notice";

// The bid pipeline (Starter and up): track a notice from the search results, then on its page assign and
// stage it, note it; the hourly sweep e-mails the assignee its deadline reminder; then the pipeline page's
// filter, CSV download and calendar feed, on a phone-sized screen too.
test("pipeline: a contractor tracks a notice, assigns and stages it, notes it, gets its deadline reminder, downloads the CSV and reads the ICS feed", async ({
  page,
}) => {
  const owner = paidOwner("pipeline");
  await signIn(page, owner.email, owner.password);
  await expect(page).not.toHaveURL(/\/sign-in/);

  // A notice due in two days (e2e/reminder-notice.ts): within the default three-day reminder lead.
  await page.goto(`/opportunities?q=${encodeURIComponent("seedling nursery reforestation")}`);
  const first = page.getByTestId("opportunity-result").first();
  await expect(first.getByRole("heading", { level: 3 })).toHaveText(reminderNotice.title);
  await first.getByRole("button", { name: "Track" }).click();
  await expect(first.getByTestId("tracked")).toBeVisible();
  await first.getByRole("heading", { level: 3 }).getByRole("link").click();
  await expect(page).toHaveURL(/\/opportunities\/[^/?]+$/);
  const title = (await page.getByRole("heading", { level: 1 }).textContent())!.trim();
  await expect(page.getByRole("heading", { name: "In your pipeline" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Points of contact" })).toBeVisible();

  const edit = page.getByRole("form", { name: /^Stage and assignee of/ });
  await edit.getByLabel("Stage").selectOption("bidding");
  await edit.getByLabel("Assignee").selectOption({ index: 1 });
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.getByText("Saved.")).toBeVisible();
  const note = page.getByRole("form", { name: /^Add a note to/ });
  await note.getByLabel("Note for the team").fill("Pre-bid call Thursday, 10:00; bring the past-performance list");
  await note.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByTestId("pipeline-notes")).toContainText("Pre-bid call Thursday, 10:00");

  // The hourly sweep, run as Inngest runs it: the assignee (the owner, the org's one member) gets the reminder.
  const run = await runInngestFunction(page.request, "deadline-reminders", cronTrigger("40 * * * *"));
  expect((run.output as { emailed: number }).emailed).toBeGreaterThan(0);
  const reminder = await latestEmail(owner.email, "pipeline_deadline_reminder");
  expect(reminder.subject).toMatch(/^Due in [12] days?: Seedling nursery stock/);
  expect(reminder.text).toContain(`/opportunities/${reminderNotice.id}`);

  await page.goto("/pipeline");
  const filters = page.getByRole("form", { name: "Filter the pipeline" });
  await filters.getByLabel("Stage").selectOption("bidding");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/stage=bidding/);
  const list = page.getByTestId("pipeline-list");
  await expect(list).toContainText(title);
  await expect(list).toContainText("Bidding");
  await expect(list).toContainText(owner.email);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("pipeline-csv").click()]);
  expect(download.suggestedFilename()).toMatch(/^pipeline-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await fs.readFile((await download.path())!, "utf8");
  expect(csv).toContain("notice_id,title,agency");
  expect(csv).toContain("Bidding");
  expect(csv).toContain(owner.email);
  expect(csv).toContain("Pre-bid call Thursday, 10:00");

  await page.getByRole("button", { name: "Create feed link" }).click();
  const feedUrl = await page.getByTestId("calendar-feed-url").inputValue();
  expect(feedUrl).toMatch(/\/api\/calendar\/bcal_[\w-]+\.ics$/);
  // A calendar app fetches it without any cookie.
  const ics = await fetch(feedUrl);
  expect(ics.status).toBe(200);
  expect(ics.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
  const body = await ics.text();
  expect(body.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
  expect(body).toContain("BEGIN:VEVENT\r\n");
  // The tracked notice's event: its deadline in UTC, its title, its page.
  const unfolded = body.replace(/\r\n /g, "");
  const event = unfolded.split("BEGIN:VEVENT\r\n").find((e) => e.includes(reminderNotice.title));
  expect(event, "a VEVENT for the tracked notice").toBeDefined();
  expect(event).toContain(`SUMMARY:Response due: ${reminderNotice.title}`);
  expect(event).toContain(`DTSTART:${reminderNotice.deadline.replace(/[-:]/g, "").replace(/\.\d{3}/, "")}`);
  expect(event).toContain(`/opportunities/${reminderNotice.id}`);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/pipeline");
  await expect(page.getByTestId("pipeline-list")).toBeVisible();
  const { overflow, widest } = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const culprit = [...document.querySelectorAll("main *")].find((el) => el.getBoundingClientRect().right > width + 1);
    return {
      overflow: document.documentElement.scrollWidth - width,
      widest: culprit ? `${culprit.tagName.toLowerCase()}.${culprit.className}` : "",
    };
  });
  expect(overflow, `/pipeline is wider than the screen (${widest})`).toBeLessThanOrEqual(0);
  await expectNoSeriousA11yViolations(page, "pipeline at 390px");

  // Turning the feed off: the same URL answers 404 Problem+JSON.
  await page.getByRole("button", { name: "Turn feed off" }).click();
  await expect(page.getByText("Calendar feed turned off")).toBeVisible();
  const gone = await fetch(feedUrl);
  expect(gone.status).toBe(404);
  expect(gone.headers.get("content-type")).toContain("application/problem+json");
});

test("pipeline on the free plan: an upgrade prompt, not an error page", async ({ page }) => {
  await signUp(page, { name: "Fay Free", email: uniqueEmail("pipeline-free") });
  await page.goto("/pipeline");
  await expect(page.getByRole("heading", { name: "Track your bids with the pipeline" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Upgrade your plan" })).toHaveAttribute("href", "/settings/billing");
});
