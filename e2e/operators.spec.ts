import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { COCKPIT_PAGES, latestEmail, signIn, signInOperator, signOut, signUp, uniqueEmail } from "./helpers";
import { e2eOperator, nextTotpCode, readOperatorFile } from "./operators";

test("an operator needs the TOTP code before the cockpit opens", async ({ page }) => {
  await signIn(page, e2eOperator("admin").email, process.env.E2E_OPERATOR_PASSWORD!);
  await expect(page).toHaveURL(/\/mfa/);
  await page.goto("/admin/ops");
  await expect(page).toHaveURL(/\/mfa/);
  const api = await page.request.get("/api/admin/stats");
  expect(api.status()).toBe(401);
  expect((await api.json()).code).toBe("mfa_required");
  await page.getByLabel("Authentication code").fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByText("That code is not valid.")).toBeVisible();
  await expect(page).toHaveURL(/\/mfa/);
});

test("an operator reaches the cockpit, and the config viewer never shows secrets", async ({ page }) => {
  await signInOperator(page);
  await expect(page.getByRole("heading", { name: "Operations" })).toBeVisible();
  const config = await page.request.get("/api/admin/config");
  expect(config.status()).toBe(200);
  const body = await config.json();
  expect(body.config.AUTH_SECRET).toBe("<redacted>");
  expect(body.config.STRIPE_SECRET_KEY).toBe("<redacted>");
  const text = JSON.stringify(body);
  for (const secret of [process.env.E2E_AUTH_SECRET, process.env.E2E_METRICS_TOKEN]) {
    if (secret) expect(text).not.toContain(secret);
  }
  await page.goto("/admin/ops/config");
  await expect(page.getByRole("cell", { name: "AUTH_SECRET" })).toBeVisible();
  await expect(page.getByText(process.env.E2E_AUTH_SECRET ?? "never-present")).toHaveCount(0);
});

test("a magic link signs an existing user in; an unknown address gets no link", async ({ browser }) => {
  test.slow(); // every cockpit page, for two operators
  const user = await (await browser.newContext()).newPage();
  const email = uniqueEmail("magic");
  await signUp(user, { name: "Mags Magic", email });
  await signOut(user);
  await user.goto("/sign-in");
  await user.getByLabel("E-mail me a sign-in link").fill(email);
  await user.getByRole("button", { name: "Send link" }).click();
  await expect(user.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();

  // The link reaches the recipient's mailbox and nowhere else: no operator, of any role, sees it.
  const link = /https?:\/\/\S+\/api\/auth\/callback\/email\S+/.exec((await latestEmail(email, "magic_link")).text)?.[0];
  expect(link, "the magic-link e-mail contains a callback link").toBeTruthy();
  const token = new URL(link!).searchParams.get("token")!;
  expect(token.length).toBeGreaterThan(16);
  for (const who of ["viewer", "admin"] as const) {
    const ops = await (await browser.newContext()).newPage();
    await signInOperator(ops, who);
    const pages = [
      ...COCKPIT_PAGES.map(([path]) => path),
      `/admin/ops/emails?to=${encodeURIComponent(email)}`,
      `/admin/ops/dead-letters?status=delivered&q=${encodeURIComponent(email)}`,
    ];
    // Each page as the server renders it for this operator (the APIs its islands call are checked below).
    for (const path of pages) {
      const response = await ops.request.get(path);
      expect(response.status(), `${who} ${path}`).toBeLessThan(500);
      expect(await response.text(), `${who} ${path}`).not.toContain(token);
    }
    await ops.goto(`/admin/ops/emails?to=${encodeURIComponent(email)}`);
    await expect(ops.getByTestId("email-row").filter({ hasText: "magic_link" }).first()).toContainText("Body withheld");
    for (const api of [
      `/api/admin/dead-letters?status=delivered&q=${encodeURIComponent(email)}`,
      `/api/admin/dead-letters?q=${encodeURIComponent(email)}`,
    ]) {
      const response = await ops.request.get(api);
      expect(response.status(), `${who} ${api}`).toBe(200);
      expect(await response.text(), `${who} ${api}`).not.toContain(token);
    }
    await ops.context().close();
  }

  await user.goto(link!);
  await expect(user).toHaveURL(/\/dashboard/);
  await expect(user.getByRole("heading", { name: "Welcome, Mags Magic" })).toBeVisible();
  // The link works once.
  await signOut(user);
  await user.goto(link!);
  await expect(user).not.toHaveURL(/\/dashboard/);

  const stranger = uniqueEmail("stranger");
  await user.goto("/sign-in");
  await user.getByLabel("E-mail me a sign-in link").fill(stranger);
  await user.getByRole("button", { name: "Send link" }).click();
  await expect(user.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
  const strangerMail = await latestEmail(stranger, "magic_link_no_account");
  expect(strangerMail.text).not.toContain("/api/auth/callback/");
  expect(strangerMail.text).toContain("/sign-up");
});

test("the cockpit's health tiles lead to job runs, alerts, dead letters, Stripe events and the audit log", async ({
  page,
}) => {
  await signInOperator(page);
  const tiles = page.getByTestId("health-tiles");
  await expect(tiles.getByText("Open ops alerts")).toBeVisible();

  await tiles.getByRole("link", { name: /Job failures, last 24 h/ }).click();
  await expect(page.getByRole("heading", { name: "Job runs", exact: true })).toBeVisible();
  await expect(page.getByRole("cell", { name: "outbox-delivery", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: /^failed \(\d+\)$/ })).toHaveAttribute("aria-current", "page");

  await page.goto("/admin/ops");
  await tiles.getByRole("link", { name: /Open ops alerts/ }).click();
  await expect(page.getByRole("heading", { name: "Ops alerts", exact: true })).toBeVisible();

  await page.goto("/admin/ops");
  await tiles.getByRole("link", { name: /Dead letters/ }).click();
  await expect(page.getByRole("heading", { name: "Dead letters", exact: true })).toBeVisible();

  await page.goto("/admin/ops");
  await tiles.getByRole("link", { name: /Stripe events by status/ }).click();
  await expect(page.getByRole("heading", { name: "Stripe events", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: /^failed \(\d+\)$/ })).toHaveAttribute("aria-current", "page");

  await page.getByRole("navigation", { name: "Cockpit" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { name: "Audit log", exact: true })).toBeVisible();
  await page.getByLabel("Search").fill("no-such-action-anywhere");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("Nothing matches this search.")).toBeVisible();
});

test("an operator whose authenticator was reset by an ops_admin enrols again from the QR page's key and gets in with a code made here", async ({
  browser,
}) => {
  const admin = await (await browser.newContext()).newPage();
  await signInOperator(admin);
  const viewerOperator = e2eOperator("viewer");
  const viewerRecord = readOperatorFile(viewerOperator);
  const reset = await admin.request.post(`/api/admin/operators/${viewerRecord.user_id}/reset-totp`);
  expect(reset.status()).toBe(200);

  const viewer = await (await browser.newContext()).newPage();
  await signIn(viewer, viewerOperator.email, process.env.E2E_OPERATOR_PASSWORD!);
  await expect(viewer.getByRole("heading", { name: "Set up your authenticator" })).toBeVisible();
  await expect(viewer.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = (await viewer.getByTestId("totp-secret").textContent())!.trim();
  expect(secret).not.toBe(viewerRecord.totp_secret);
  // Later journeys sign the viewer in with the file's secret: keep it current.
  fs.writeFileSync(viewerOperator.file, JSON.stringify({ user_id: viewerRecord.user_id, totp_secret: secret }));
  await viewer.getByLabel("Authentication code").fill(await nextTotpCode(viewerOperator));
  await viewer.getByRole("button", { name: "Verify" }).click();
  await expect(viewer).toHaveURL(/\/admin\/ops/);

  await admin.goto("/admin/ops/audit?q=ops.mfa");
  await expect(admin.getByText("ops.mfa.enrolled").first()).toBeVisible();
});
