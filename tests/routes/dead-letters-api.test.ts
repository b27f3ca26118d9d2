// The operator dead-letter and Stripe-event APIs through the real handlers, authenticators and database.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import * as deadLetter from "@/app/api/admin/dead-letters/[id]/route";
import * as replayOne from "@/app/api/admin/dead-letters/[id]/replay/route";
import * as bulkReplay from "@/app/api/admin/dead-letters/replay/route";
import * as deadLetters from "@/app/api/admin/dead-letters/route";
import * as auditLogRoute from "@/app/api/admin/audit-log/route";
import * as stripeEventsRoute from "@/app/api/admin/stripe-events/route";
import { db } from "@/db/client";
import { auditLog, outboxEvents, stripeEvents } from "@/db/schema";
import { makeOrg } from "@/tests/support/factories";
import { fakeInngestForFile } from "@/tests/support/inngest";
import { deliverDueOutbox, enqueueEvents } from "@/lib/outbox";
import { describeOnOneDatabase } from "@/tests/db";
import { perTestEnv } from "@/tests/env";
import { callRoute as call, operatorCookies, sessionCookieFor } from "@/tests/route-helpers";

const inngestApi = fakeInngestForFile();
const setEnv = perTestEnv();

describeOnOneDatabase("operator dead letters, Stripe events and audit log APIs", () => {
  const cookies: Record<string, string> = {};
  let orgId = "";

  beforeAll(async () => {
    Object.assign(cookies, await operatorCookies());
    const customer = await makeOrg("pro", "Dead Letter Co");
    orgId = customer.orgId;
    cookies.customer = await sessionCookieFor(customer.owner.userId);
  });

  async function deadRow(to: string) {
    const [row] = await db()
      .insert(outboxEvents)
      .values({
        orgId,
        kind: "email",
        dedupeKey: `dl-${randomUUID()}`,
        payload: { kind: "test", to, subject: "Hello", text: "Body" },
        status: "dead",
        attempts: 8,
        lastError: "SMTP 550 for " + to,
      })
      .returning({ id: outboxEvents.id });
    return row!.id;
  }

  it("lists dead letters (viewers see addresses masked); customers are refused", async () => {
    const id = await deadRow("jane.doe@example.com");
    const support = await (
      await call(deadLetters.GET, { path: "/api/admin/dead-letters?q=jane", cookie: cookies.ops_support })
    ).json();
    expect(support.data.map((r: { id: string }) => r.id)).toContain(id);
    expect(support.data.find((r: { id: string }) => r.id === id).payload.to).toBe("jane.doe@example.com");
    const viewer = await (
      await call(deadLetters.GET, { path: "/api/admin/dead-letters?q=jane", cookie: cookies.ops_viewer })
    ).json();
    const masked = viewer.data.find((r: { id: string }) => r.id === id);
    expect(JSON.stringify(masked)).not.toContain("jane.doe@example.com");
    expect((await call(deadLetters.GET, { path: "/api/admin/dead-letters", cookie: cookies.customer })).status).toBe(
      403,
    );
    const unverified = await call(deadLetters.GET, { path: "/api/admin/dead-letters", cookie: cookies.unverified });
    expect(unverified.status).toBe(401);
    expect((await unverified.json()).code).toBe("mfa_required");
    expect(
      (await call(deadLetters.GET, { path: "/api/admin/dead-letters?status=exploded", cookie: cookies.ops_admin }))
        .status,
    ).toBe(422);
  });

  it("replay one delivers it (audited); discard is ops_admin only; incident mode refuses writes with 409 read_only", async () => {
    const id = await deadRow("replay@example.com");
    expect(
      (
        await call(replayOne.POST, {
          path: `/api/admin/dead-letters/${id}/replay`,
          method: "POST",
          id,
          cookie: cookies.ops_viewer,
        })
      ).status,
    ).toBe(403);

    setEnv({ ADMIN_READ_ONLY: "true" });
    const readOnly = await call(replayOne.POST, {
      path: `/api/admin/dead-letters/${id}/replay`,
      method: "POST",
      id,
      cookie: cookies.ops_support,
    });
    expect(readOnly.status).toBe(409);
    expect((await readOnly.json()).code).toBe("read_only");
    setEnv({ ADMIN_READ_ONLY: undefined });

    const replayed = await call(replayOne.POST, {
      path: `/api/admin/dead-letters/${id}/replay`,
      method: "POST",
      id,
      cookie: cookies.ops_support,
    });
    expect(replayed.status).toBe(200);
    const [row] = await db().select().from(outboxEvents).where(eq(outboxEvents.id, id));
    expect(row?.status).toBe("delivered");
    expect(await db().select().from(auditLog).where(eq(auditLog.targetId, id))).toHaveLength(1);
    // Replayed already: it exists but is no longer dead (409); an id that was never a message is 404.
    const again = await call(replayOne.POST, {
      path: `/api/admin/dead-letters/${id}/replay`,
      method: "POST",
      id,
      cookie: cookies.ops_support,
    });
    expect(again.status).toBe(409);
    expect((await again.json()).code).toBe("conflict");
    const unknown = randomUUID();
    expect(
      (
        await call(replayOne.POST, {
          path: `/api/admin/dead-letters/${unknown}/replay`,
          method: "POST",
          id: unknown,
          cookie: cookies.ops_support,
        })
      ).status,
    ).toBe(404);

    const doomed = await deadRow("discard@example.com");
    expect(
      (
        await call(deadLetter.DELETE, {
          path: `/api/admin/dead-letters/${doomed}`,
          method: "DELETE",
          id: doomed,
          cookie: cookies.ops_support,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call(deadLetter.DELETE, {
          path: `/api/admin/dead-letters/${doomed}`,
          method: "DELETE",
          id: doomed,
          cookie: cookies.ops_admin,
        })
      ).status,
    ).toBe(204);
    const [gone] = await db().select().from(outboxEvents).where(eq(outboxEvents.id, doomed));
    expect(gone?.status).toBe("discarded");
  });

  it("an event Inngest never took dead-letters after its last attempt, is listed as kind event, and a replay sends it once", async () => {
    setEnv({ OUTBOX_MAX_ATTEMPTS: "2" });
    // Nothing listens on port 9: Inngest is unreachable.
    await inngestApi.pointClientAt("http://127.0.0.1:9/");
    const eventId = `dead-letter-event-${randomUUID()}`;
    const [queued] = await db().transaction((tx) =>
      enqueueEvents(tx, [{ name: "billing/invoice.paid", id: eventId, data: { org_id: orgId, invoice_id: "in_1" } }]),
    );
    const id = queued!.id;
    for (const minutes of [1, 120]) {
      const at = new Date(Date.now() + minutes * 60_000);
      await deliverDueOutbox({ now: at, limit: 1_000 });
    }
    const [dead] = await db().select().from(outboxEvents).where(eq(outboxEvents.id, id));
    expect(dead).toMatchObject({ status: "dead", attempts: 2, destination: "inngest", lastError: expect.any(String) });

    const listed = await (
      await call(deadLetters.GET, { path: "/api/admin/dead-letters?kind=event", cookie: cookies.ops_support })
    ).json();
    expect(listed.data.find((r: { id: string }) => r.id === id)).toMatchObject({
      kind: "event",
      payload: { name: "billing/invoice.paid", id: eventId },
    });
    expect(listed.data.every((r: { kind: string }) => r.kind === "event")).toBe(true);

    await inngestApi.pointClientAt();
    const replayed = await call(replayOne.POST, {
      path: `/api/admin/dead-letters/${id}/replay`,
      method: "POST",
      id,
      cookie: cookies.ops_support,
    });
    expect(replayed.status).toBe(200);
    expect((await db().select().from(outboxEvents).where(eq(outboxEvents.id, id)))[0]!.status).toBe("delivered");
    expect(inngestApi.events.filter((e) => e.id === eventId)).toEqual([
      expect.objectContaining({ name: "billing/invoice.paid", data: { org_id: orgId, invoice_id: "in_1" } }),
    ]);
  });

  it("bulk replay by filter replays only matching dead letters; a body with both or neither is refused", async () => {
    const a = await deadRow("bulk-a@example.com");
    const b = await deadRow("bulk-b@example.com");
    const other = await deadRow("other@example.com");
    const res = await call(bulkReplay.POST, {
      path: "/api/admin/dead-letters/replay",
      method: "POST",
      cookie: cookies.ops_support,
      body: { filter: { q: "bulk-" } },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ replayed: 2 });
    const statuses = Object.fromEntries(
      (await db().select({ id: outboxEvents.id, status: outboxEvents.status }).from(outboxEvents)).map((r) => [
        r.id,
        r.status,
      ]),
    );
    expect(statuses[a]).not.toBe("dead");
    expect(statuses[b]).not.toBe("dead");
    expect(statuses[other]).toBe("dead");
    expect(
      (
        await call(bulkReplay.POST, {
          path: "/api/admin/dead-letters/replay",
          method: "POST",
          cookie: cookies.ops_support,
          body: {},
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await call(bulkReplay.POST, {
          path: "/api/admin/dead-letters/replay",
          method: "POST",
          cookie: cookies.ops_support,
          body: { ids: [a], filter: {} },
        })
      ).status,
    ).toBe(422);
  });

  it("Stripe events and the audit log page through with cursors and filters", async () => {
    for (let i = 0; i < 3; i++) {
      await db()
        .insert(stripeEvents)
        .values({
          id: `evt_api_${i}_${randomUUID().slice(0, 6)}`,
          type: "invoice.paid",
          created: new Date(),
          status: i === 0 ? "failed" : "processed",
          receivedAt: new Date(Date.now() - i * 1000),
        });
    }
    const page1 = await (
      await call(stripeEventsRoute.GET, {
        path: "/api/admin/stripe-events?type=invoice.paid&limit=2",
        cookie: cookies.ops_viewer,
      })
    ).json();
    expect(page1.data).toHaveLength(2);
    const page2 = await (
      await call(stripeEventsRoute.GET, {
        path: `/api/admin/stripe-events?type=invoice.paid&limit=2&cursor=${page1.next_cursor}`,
        cookie: cookies.ops_viewer,
      })
    ).json();
    expect(page2.data).toHaveLength(1);
    expect(page2.next_cursor).toBeNull();
    const failed = await (
      await call(stripeEventsRoute.GET, { path: "/api/admin/stripe-events?status=failed", cookie: cookies.ops_viewer })
    ).json();
    expect(failed.data.every((e: { status: string }) => e.status === "failed")).toBe(true);
    expect(
      (
        await call(stripeEventsRoute.GET, {
          path: "/api/admin/stripe-events?cursor=not-a-cursor",
          cookie: cookies.ops_viewer,
        })
      ).status,
    ).toBe(422);

    const audit = await (
      await call(auditLogRoute.GET, { path: "/api/admin/audit-log?action=outbox", cookie: cookies.ops_viewer })
    ).json();
    expect(audit.data.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit.data)).not.toMatch(/ops_support-[0-9a-f]{8}@beacon\.test/);
    expect((await call(auditLogRoute.GET, { path: "/api/admin/audit-log", cookie: cookies.customer })).status).toBe(
      403,
    );
  });
});
