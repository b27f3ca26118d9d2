import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations, signInOperator, signUp, uniqueEmail } from "./helpers";

test("an operator finds a customer by e-mail, grants credits, and sees it in the timeline and the audit log; a viewer sees masked e-mails and no actions", async ({
  browser,
}) => {
  const customer = await (await browser.newContext()).newPage();
  const email = uniqueEmail("cust");
  const orgName = `Granted Co ${Date.now()}`;
  await signUp(customer, { name: "Cass Customer", email, organizationName: orgName });

  const ops = await (await browser.newContext()).newPage();
  await signInOperator(ops);
  await ops.getByRole("navigation", { name: "Cockpit" }).getByRole("link", { name: "Customers" }).click();
  await expect(ops.getByRole("heading", { name: "Customers", exact: true })).toBeVisible();
  await ops.getByLabel("Name, e-mail or Stripe id").fill(email);
  await ops.getByRole("button", { name: "Search" }).click();
  await expect(ops.getByTestId("customer-row")).toHaveCount(1);
  await expectNoSeriousA11yViolations(ops, "customers list");
  await ops.getByRole("link", { name: orgName }).click();
  await expect(ops.getByRole("heading", { name: orgName, exact: true })).toBeVisible();
  await expect(ops.getByText(email)).toBeVisible();
  const remaining = ops.getByText(/API calls left this period/);
  await expect(remaining).toBeVisible();

  const grant = ops.getByRole("form", { name: "Grant credits" });
  await grant.getByLabel("API calls").fill("250");
  await grant.getByLabel("Reason").fill("goodwill after the outage");
  await grant.getByRole("button", { name: "Grant credits" }).click();
  await expect(grant.getByText("Credits granted.")).toBeVisible();
  await ops.reload();
  // Grants are credits, beside the month's allowance.
  await expect(ops.getByTestId("credits-remaining")).toHaveText("250");
  const entry = ops.getByTestId("timeline-entry").filter({ hasText: "ops.customer.credits_granted" });
  await expect(entry).toContainText("goodwill after the outage");
  await expectNoSeriousA11yViolations(ops, "customer detail");

  await ops.getByRole("navigation", { name: "Cockpit" }).getByRole("link", { name: "Audit log" }).click();
  await ops.getByLabel("Search").fill("goodwill after the outage");
  await ops.getByRole("button", { name: "Search" }).click();
  await expect(ops.getByText("ops.customer.credits_granted").first()).toBeVisible();

  const viewer = await (await browser.newContext()).newPage();
  await signInOperator(viewer, "viewer");
  await viewer.goto(`/admin/ops/customers?q=${encodeURIComponent(orgName)}`);
  await viewer.getByRole("link", { name: orgName }).click();
  await expect(viewer.getByRole("heading", { name: orgName, exact: true })).toBeVisible();
  await expect(viewer.getByText("can look but not act")).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Grant credits" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: /Delete customer/ })).toHaveCount(0);
  await expect(viewer.getByText(email)).toHaveCount(0);
  await expect(viewer.getByText(/c\*+@e\*\*\*\.com/).first()).toBeVisible();
});
