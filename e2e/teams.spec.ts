import { expect, test, type Browser } from "@playwright/test";
import { signUp, uniqueEmail } from "./helpers";

async function newUserPage(browser: Browser) {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

async function invite(page: import("@playwright/test").Page, email: string, role: string) {
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
  await signUp(owner.page, { name: "Ida Inviter", email: uniqueEmail("inviter"), organizationName: "Inviting Co" });
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
  await expect(invitee.page.getByText("Inviting Co · Free plan · you are admin")).toBeVisible();

  // The owner sees the new member with the invited role.
  await owner.page.reload();
  await expect(owner.page.getByTestId("member-row").filter({ hasText: inviteeEmail }).getByRole("combobox")).toHaveValue("admin");

  // The link works once.
  await invitee.page.goto(url);
  await expect(invitee.page.getByRole("heading", { name: "Invitation not available" })).toBeVisible();
  await owner.context.close();
  await invitee.context.close();
});

test("a viewer cannot perform an admin action", async ({ browser }) => {
  const owner = await newUserPage(browser);
  await signUp(owner.page, { name: "Olga Owner", email: uniqueEmail("olga"), organizationName: "Viewed Co" });
  const viewerEmail = uniqueEmail("viewer");
  const url = await invite(owner.page, viewerEmail, "viewer");

  const viewer = await newUserPage(browser);
  await signUp(viewer.page, { name: "Vic Viewer", email: viewerEmail });
  await viewer.page.goto(url);
  await viewer.page.getByRole("button", { name: "Join Viewed Co" }).click();
  await expect(viewer.page.getByText("Viewed Co · Free plan · you are viewer")).toBeVisible();

  // The UI offers no admin actions…
  await viewer.page.goto("/settings/team");
  await expect(viewer.page.getByText("you are viewer here", { exact: false })).toBeVisible();
  await expect(viewer.page.getByRole("button", { name: "Send invitation" })).toHaveCount(0);
  await viewer.page.goto("/settings/api-keys");
  await expect(viewer.page.getByRole("button", { name: "Create key" })).toHaveCount(0);

  // …and the API refuses them with a 403 problem, changing nothing.
  const inviteAttempt = await viewer.page.request.post("/api/app/invitations", { data: { email: uniqueEmail("sneaky"), role: "admin" } });
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
