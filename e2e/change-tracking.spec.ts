import { expect, test } from "@playwright/test";
import { emailsTo, latestEmail, signIn } from "./helpers";
import { cronTrigger, runInngestFunction } from "./inngest";
import { paidOwner } from "./paid-orgs";

// Change tracking on a paid plan: the owner tracks a notice, the demo feed's next release (the
// ingestion function, through /api/inngest) brings an amended version of it, and the hourly
// "what changed" run, triggered as Inngest would an hour later, mails it once, with the old and
// new deadline and a one-click unsubscribe; the notice's page shows the History.
const NOTICE = "52994837c56d4bd29c78ae5a3809a1d3"; // FDIC SailPoint renewal: the demo feed moves its deadline.

test("change tracking: a tracked notice's amendment arrives as one what-changed e-mail and in its History", async ({
  page,
  request,
}) => {
  const owner = paidOwner("changes");
  await signIn(page, owner.email, owner.password);
  await expect(page).not.toHaveURL(/\/sign-in/);

  await page.goto(`/opportunities/${NOTICE}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "FDIC_Sailpoint IdentityIQ software subscription renewal",
  );
  await expect(page.getByTestId("notice-history")).toHaveCount(0);
  await page.getByRole("form", { name: "Track this notice" }).getByRole("button", { name: "Track" }).click();
  await expect(page.getByRole("heading", { name: "In your pipeline" })).toBeVisible();

  // The next release of the bundled day carries the notice's amendment, stored by the ordinary upsert.
  const ingest = await runInngestFunction(request, "ingest-opportunities", cronTrigger("*/2 * * * *"));
  expect(ingest.output).toMatchObject({ source: "sam_snapshot", released: 630, amended: 1 });

  // The hourly run as Inngest would send it once this hour has closed (and settled).
  const tick = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 3_600_000 + 10 * 60_000);
  const first = await runInngestFunction(request, "change-notices", cronTrigger("10 * * * *"), { at: tick });
  expect(first.output).toMatchObject({ emailed: expect.any(Number) });
  const email = await latestEmail(owner.email, "notice_changes");
  expect(email.subject).toBe("Changed: FDIC_Sailpoint IdentityIQ software subscription renewal");
  expect(email.text).toContain("  - Response deadline moved from Apr 28, 2026 to May 12, 2026");
  expect(email.text).toContain(`/opportunities/${NOTICE}`);
  expect(email.listUnsubscribe).toMatch(/^<http:\/\/[^>]+\/api\/unsubscribe\/changes\/c1\.[\w.-]+>$/);
  expect(email.listUnsubscribePost).toBe("List-Unsubscribe=One-Click");

  // A replay of the same tick mails nothing more: exactly one e-mail.
  await runInngestFunction(request, "change-notices", cronTrigger("10 * * * *"), { at: tick });
  expect(await emailsTo(owner.email, "notice_changes")).toHaveLength(1);

  await page.reload();
  const history = page.getByTestId("notice-history");
  await expect(history).toContainText("Amended");
  await expect(history).toContainText("Response deadline moved from Apr 28, 2026 to May 12, 2026");

  // The link's confirmation page asks first (a GET never unsubscribes).
  const link = email.listUnsubscribe.slice(1, -1);
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Stop “what changed” e-mails?" })).toBeVisible();
});
