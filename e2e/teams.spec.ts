import { expect, test, type Browser, type Page } from "@playwright/test";
import { signIn, signUp, uniqueEmail } from "./helpers";
import { paidOwner, type PaidOrg } from "./paid-orgs";

async function newUserPage(browser: Browser) {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

/** Signs in as the owner of a paid org made for this journey (a free org has no seat to invite into). */
async function signInAsPaidOwner(page: Page, org: PaidOrg) {
  const owner = paidOwner(org);
  await signIn(page, owner.email, owner.password);
  await expect(page).not.toHaveURL(/\/sign-in/);
}

async function invite(page: Page, email: string, role: string) {
  await page.goto("/settings/team");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Send invitation" }).click();
  const link = page.getByTestId("invitation-link");
  await expect(link).toBeVisible();
  return (await link.textContent())!.trim();
}

test("an invitation is accepted by a second user with the invited role, once", async ({ browser }) => {
  const owner = await newUserPage(browser);
  await signInAsPaidOwner(owner.page, "inviting");
  const inviteeEmail = uniqueEmail("invitee");
  const url = await invite(owner.page, inviteeEmail, "admin");

  const invitee = await newUserPage(browser);
  await invitee.page.goto(url);
  await expect(invitee.page.getByRole("heading", { name: "Join Inviting Co on Beacon" })).toBeVisible();
  await invitee.page.locator("#main").getByRole("link", { name: "Create an account" }).click();
  await expect(invitee.page.getByLabel("Work e-mail")).toHaveValue(inviteeEmail);
  await invitee.page.getByLabel("Your name").fill("Ivan Invitee");
  await invitee.page.getByLabel("Password").fill("e2e-correct-horse-battery");
  await invitee.page.getByRole("button", { name: "Create account" }).click();
  await expect(invitee.page).toHaveURL(new RegExp(url.replace(/^https?:\/\/[^/]+/, "")));
  await invitee.page.getByRole("button", { name: "Join Inviting Co" }).click();
  await expect(invitee.page).toHaveURL(/\/dashboard\?joined=1/);
  await expect(invitee.page.getByText("Inviting Co · Pro plan · you are admin")).toBeVisible();

  // The owner sees the new member with the invited role.
  await owner.page.reload();
  await expect(
    owner.page.getByTestId("member-row").filter({ hasText: inviteeEmail }).getByRole("combobox"),
  ).toHaveValue("admin");

  // The link works once.
  await invitee.page.goto(url);
  await expect(invitee.page.getByRole("heading", { name: "Invitation not available" })).toBeVisible();
  await owner.context.close();
  await invitee.context.close();
});

test("a viewer cannot perform an admin action", async ({ browser }) => {
  const owner = await newUserPage(browser);
  await signInAsPaidOwner(owner.page, "viewed");
  const viewerEmail = uniqueEmail("viewer");
  const url = await invite(owner.page, viewerEmail, "viewer");

  const viewer = await newUserPage(browser);
  await signUp(viewer.page, { name: "Vic Viewer", email: viewerEmail });
  await viewer.page.goto(url);
  await viewer.page.getByRole("button", { name: "Join Viewed Co" }).click();
  await expect(viewer.page.getByText("Viewed Co · Starter plan · you are viewer")).toBeVisible();

  // The UI offers no admin actions…
  await viewer.page.goto("/settings/team");
  await expect(viewer.page.getByText("you are viewer here", { exact: false })).toBeVisible();
  await expect(viewer.page.getByRole("button", { name: "Send invitation" })).toHaveCount(0);
  await viewer.page.goto("/settings/api-keys");
  await expect(viewer.page.getByRole("button", { name: "Create key" })).toHaveCount(0);

  // …and the API refuses them with a 403 problem, changing nothing.
  const inviteAttempt = await viewer.page.request.post("/api/app/invitations", {
    data: { email: uniqueEmail("sneaky"), role: "admin" },
  });
  expect(inviteAttempt.status()).toBe(403);
  expect(inviteAttempt.headers()["content-type"]).toContain("application/problem+json");
  expect((await inviteAttempt.json()).code).toBe("forbidden");
  const keyAttempt = await viewer.page.request.post("/api/app/api-keys", { data: { name: "viewer key" } });
  expect(keyAttempt.status()).toBe(403);
  const keys = await viewer.page.request.get("/api/app/api-keys");
  expect((await keys.json()).data).toHaveLength(0);
  await owner.context.close();
  await viewer.context.close();
});

test("a free org's owner is told every seat is taken, with a link to upgrade, and nothing is sent", async ({
  page,
}) => {
  await signUp(page, { name: "Fay Free", email: uniqueEmail("free-owner"), organizationName: "Solo Co" });
  await page.goto("/settings/team");
  await expect(page.getByTestId("seat-usage")).toHaveText("1 of 1 seat used on the Free plan.");
  await page.getByLabel("E-mail").fill(uniqueEmail("hopeful"));
  await page.getByRole("button", { name: "Send invitation" }).click();
  const refusal = page.getByRole("alert").filter({ hasText: "No free seat" });
  await expect(refusal).toContainText("All 1 seat of the Free plan are in use (1 member and 0 open invitations).");
  await expect(page.getByTestId("invitation-link")).toHaveCount(0);
  await refusal.getByRole("link", { name: "Upgrade your plan" }).click();
  await expect(page).toHaveURL(/\/settings\/billing$/);

  // The API answers the same refusal as a 403 problem.
  const attempt = await page.request.post("/api/app/invitations", {
    data: { email: uniqueEmail("hopeful"), role: "member" },
  });
  expect(attempt.status()).toBe(403);
  expect(attempt.headers()["content-type"]).toContain("application/problem+json");
  expect(await attempt.json()).toMatchObject({
    code: "forbidden",
    seats: { limit: 1, used: 1 },
    upgrade_url: "/settings/billing",
  });
  const team = await (await page.request.get("/api/app/members")).json();
  expect(team.invitations).toHaveLength(0);
});
