import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { organizations, outboxEvents } from "@/db/schema";
import { withSystem } from "@/db/tenant";
import { createUserWithOrganization } from "@/lib/auth";
import { eventSender, registerEventSender, type EventSender } from "@/lib/outbox";
import { describeEachDatabaseAsApp } from "@/tests/db";
import { inOrg, memberActor, orgContext, serviceContext, systemActor, systemContext, type BeaconEvent } from "./index";

const FIXED = new Date("2035-03-01T09:00:00Z");

describe("a service context", () => {
  it("refuses an org id that is not one as 404, before any query", () => {
    expect(() => orgContext("not-a-uuid", systemActor("billing"))).toThrow(
      expect.objectContaining({ code: "not_found" }),
    );
  });

  it("keeps its actor, request id and clock inside one org, and checks that org's id", () => {
    const run = systemContext(systemActor("reminders"), { requestId: "run_7", now: () => FIXED });
    const orgId = randomUUID();
    const inside = inOrg(run, orgId);
    expect([inside.orgId, inside.actor, inside.requestId, inside.now()]).toEqual([
      orgId,
      systemActor("reminders"),
      "run_7",
      FIXED,
    ]);
    expect(() => inOrg(run, "../other")).toThrow(expect.objectContaining({ code: "not_found" }));
  });

  it("carries the actor, the request id and the clock it was given", () => {
    const ctx = serviceContext(memberActor(randomUUID(), "viewer"), { requestId: "req_1", now: () => FIXED });
    expect(ctx.actor.kind).toBe("member");
    expect(ctx.requestId).toBe("req_1");
    expect(ctx.now()).toEqual(FIXED);
  });
});

describeEachDatabaseAsApp("an org context's database and events", () => {
  let a: { orgId: string; userId: string };
  let b: { orgId: string; userId: string };
  const registered = eventSender();
  let sent: Parameters<EventSender>[0];

  beforeAll(async () => {
    const make = async (name: string) => {
      const tag = randomUUID().slice(0, 8);
      const made = await createUserWithOrganization({ name, email: `${name}-${tag}@context.test`, passwordHash: "x" });
      return { orgId: made.orgId, userId: made.userId };
    };
    a = await make("ann");
    b = await make("bob");
  });

  afterEach(() => registerEventSender(registered));

  const capture = () => {
    sent = [];
    registerEventSender(async (events) => void sent.push(...events));
  };
  const ctxOf = (org: { orgId: string; userId: string }) => orgContext(org.orgId, memberActor(org.userId, "owner"));
  const rerun = (orgId: string): BeaconEvent => ({
    name: "alerts/run.requested",
    id: `context-test-${randomUUID()}`,
    data: { org_id: orgId },
  });
  const outboxRows = (event: BeaconEvent) =>
    withSystem("outbox", (tx) =>
      tx
        .select()
        .from(outboxEvents)
        .where(eq(outboxEvents.dedupeKey, `event:${event.name}:${event.id}`)),
    );

  it("sees only its own org's rows, without a filter in the query", async () => {
    const visible = await ctxOf(a).transaction((tx) => tx.select({ id: organizations.id }).from(organizations));
    expect(visible.map((row) => row.id)).toEqual([a.orgId]);
    const other = await ctxOf(b).transaction((tx) => tx.select({ id: organizations.id }).from(organizations));
    expect(other.map((row) => row.id)).toEqual([b.orgId]);
  });

  it("runs one statement as the application role that sees only its own org's rows, without a filter in it", async () => {
    const statement = "select id, current_user as role from organizations";
    expect(await ctxOf(a).statement<{ id: string; role: string }>(statement)).toEqual([
      { id: a.orgId, role: "beacon_tenant" },
    ]);
    expect(await ctxOf(b).statement<{ id: string; role: string }>(statement)).toEqual([
      { id: b.orgId, role: "beacon_tenant" },
    ]);
  });

  it("hands events to the background functions after the transaction commits, and never when it rolls back", async () => {
    capture();
    const kept = rerun(a.orgId);
    await ctxOf(a).transaction(async (_tx, send) => {
      await send(kept);
      // Written in the transaction, not yet sent.
      expect(sent).toEqual([]);
    });
    expect(sent).toEqual([{ name: kept.name, id: kept.id, data: kept.data }]);
    expect((await outboxRows(kept)).map((row) => row.orgId)).toEqual([a.orgId]);

    const dropped = rerun(a.orgId);
    await expect(
      ctxOf(a).transaction(async (_tx, send) => {
        await send(dropped);
        throw new Error("the change fails");
      }),
    ).rejects.toThrow("the change fails");
    expect(sent).toHaveLength(1);
    expect(await outboxRows(dropped)).toEqual([]);
  });

  it("sends an event id once: the same event sent again writes and hands over nothing new", async () => {
    capture();
    const event = rerun(b.orgId);
    await ctxOf(b).transaction((_tx, send) => send(event));
    await ctxOf(b).transaction((_tx, send) => send(event));
    expect(sent.map((e) => e.id)).toEqual([event.id]);
    expect(await outboxRows(event)).toHaveLength(1);
  });

  it("runs a system context's work as the system role for its reason, over every org, events after commit", async () => {
    capture();
    const ctx = systemContext(systemActor("reminders"));
    const event = rerun(a.orgId);
    const seen = await ctx.transaction(async (tx, send) => {
      await send(event);
      expect(sent).toEqual([]);
      return tx.execute<{ role: string; reason: string }>(
        sql`select current_user as role, current_setting('app.system_reason') as reason`,
      );
    });
    expect(seen.rows).toEqual([{ role: "beacon_system", reason: "reminders" }]);
    expect(sent.map((e) => e.id)).toEqual([event.id]);
    expect((await outboxRows(event)).map((row) => row.orgId)).toEqual([null]);
    const orgs = await ctx.statement<{ id: string }>("select id from organizations");
    expect(orgs.map((row) => row.id)).toEqual(expect.arrayContaining([a.orgId, b.orgId]));
  });
});
