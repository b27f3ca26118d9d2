import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "@/db/client";
import { billingCustomers } from "@/db/schema";
import { withSystem } from "@/db/tenant";
import { describeEachDatabase } from "@/tests/db";
import { makeOrg } from "@/tests/support/factories";
import { resolveAndLinkOrg } from "./fields";

const now = new Date("2026-12-01T12:00:00Z");
const resolve = (candidates: (string | null)[], customerId: string | null) =>
  withSystem("billing", (tx) => resolveAndLinkOrg(tx, candidates, customerId, now));
const customerOf = async (orgId: string) =>
  (await db().select().from(billingCustomers).where(eq(billingCustomers.orgId, orgId)))[0]?.stripeCustomerId ?? null;
const newCustomer = () => `cus_${randomUUID().slice(0, 12)}`;

describeEachDatabase("resolveAndLinkOrg: a Stripe object's org in one statement", () => {
  it("takes the first named org that exists, skipping unknown and malformed ids, and links the customer to it", async () => {
    const { orgId: first } = await makeOrg("free", "First");
    const { orgId: second } = await makeOrg("free", "Second");
    const customer = newCustomer();
    expect(await resolve([randomUUID(), "not-a-uuid", null, first, second], customer)).toBe(first);
    expect(await customerOf(first)).toBe(customer);
    expect(await customerOf(second)).toBeNull();
  });

  it("without a named org, finds the org the customer is linked to", async () => {
    const { orgId } = await makeOrg();
    const customer = newCustomer();
    await resolve([orgId], customer);
    expect(await resolve([], customer)).toBe(orgId);
    expect(await resolve([randomUUID()], customer)).toBe(orgId);
  });

  it("a named org wins over the customer's link, and neither existing link changes", async () => {
    const { orgId: linked } = await makeOrg("free", "Linked");
    const { orgId: named } = await makeOrg("free", "Named");
    const customer = newCustomer();
    const other = newCustomer();
    await resolve([linked], customer);
    await resolve([named], other);
    // The customer is linked to another org, and the named org to another customer: both stay.
    expect(await resolve([named], customer)).toBe(named);
    expect(await customerOf(linked)).toBe(customer);
    expect(await customerOf(named)).toBe(other);
  });

  it("answers null when nothing is known, and links nothing without a customer", async () => {
    const { orgId } = await makeOrg();
    expect(await resolve([randomUUID()], newCustomer())).toBeNull();
    expect(await resolve([], null)).toBeNull();
    expect(await resolve([orgId], null)).toBe(orgId);
    expect(await customerOf(orgId)).toBeNull();
  });
});
