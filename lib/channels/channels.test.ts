import { randomUUID } from "node:crypto";
import { and, eq, like } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { db } from "@/db/client";
import {
  alertChannels,
  alertDigests,
  alerts,
  auditLog,
  emailMessages,
  notificationChannels,
  outboxCircuits,
  outboxEvents,
} from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { createAlert, runAlertDigest, updateAlert } from "@/lib/alerts";
import { upsertOpportunities } from "@/lib/opportunities";
import { runChangeNotices } from "@/lib/pipeline";
import { fromApi, runway, runwayAmended } from "@/tests/fixtures/amended-notices";
import { addMember, insertOpportunity, makeOrg, contextOf, systemContextOf } from "@/tests/support/factories";
import { deliverDueOutbox, verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from "@/lib/outbox";
import { startWebhookReceiver } from "@/tests/support/servers";
import { appErrorOf } from "@/tests/app-error";
import { describeEachDatabase } from "@/tests/db";
import { withTestEnv } from "@/tests/env";
import {
  CHANNEL_FAILURE_LIMIT,
  createChannel,
  deleteChannel,
  listChannels,
  sendTestPost,
  updateChannel,
} from "./index";

// Channels against a real HTTP receiver on 127.0.0.1 (CHANNEL_LOOPBACK_URLS, as the journeys run)
// and the real outbox, on both databases.

let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  hooks = await startWebhookReceiver();
});
afterAll(() => hooks.close());
withTestEnv({ CHANNEL_LOOPBACK_URLS: "true", OUTBOX_MAX_ATTEMPTS: "1" });
afterEach(() => {
  hooks.requests.length = 0;
  hooks.failNext(0);
});

const HOUR = 3_600_000;

describeEachDatabase("team channels", () => {
  async function proOrgWithHook(path = `/hook-${randomUUID()}`) {
    const org = await makeOrg("pro", "Channel Co");
    const created = await createChannel(contextOf(org.orgId, org.owner), {
      kind: "webhook",
      name: "Capture team",
      url: hooks.url(path),
    });
    return { ...org, created, path };
  }
  const received = (path: string) => hooks.requests.filter((r) => r.path === path);

  it("stores the URL and signing secret only sealed, shows the secret once, and signs every post Stripe-style", async () => {
    const { orgId, owner, created, path } = await proOrgWithHook();
    const secret = created.signing_secret!;
    expect(secret).toMatch(/^whsec_[\w-]{40,}$/);
    expect(created.channel).toMatchObject({ kind: "webhook", signed: true, enabled: true, consecutive_failures: 0 });
    expect(created.channel.url_hint).toMatch(/^127\.0\.0\.1:\d+ …/);

    const listed = await listChannels(contextOf(orgId, owner));
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(JSON.stringify(listed)).not.toContain(path);
    // Nothing at rest holds the URL or the secret in the clear: the channel row, its audit row, the outbox.
    const [row] = await db().select().from(notificationChannels).where(eq(notificationChannels.id, created.channel.id));
    const audits = await db().select().from(auditLog).where(eq(auditLog.orgId, orgId));
    expect(audits.map((a) => a.action)).toEqual(["channel.created"]);
    for (const stored of [JSON.stringify(row), JSON.stringify(audits)]) {
      expect(stored).not.toContain(path);
      expect(stored).not.toContain(secret);
    }

    const result = await sendTestPost(contextOf(orgId, owner), created.channel.id);
    expect(result).toMatchObject({ status: "delivered", error: null });
    expect(result.channel.last_success_at).not.toBeNull();
    const [post] = received(path);
    expect(JSON.parse(post!.body)).toMatchObject({ type: "channel.test", data: { channel: { name: "Capture team" } } });
    expect(post!.headers["beacon-event-id"]).toBe(result.outbox_id);
    const header = String(post!.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()]);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, post!.body, header, new Date())).toBe(true);
    expect(verifyWebhookSignature(secret, `${post!.body} `, header, new Date())).toBe(false);
    const [outboxRow] = await db().select().from(outboxEvents).where(eq(outboxEvents.id, result.outbox_id));
    expect(outboxRow).toMatchObject({ kind: "channel", destination: `channel:${created.channel.id}` });
    expect(JSON.stringify(outboxRow)).not.toContain(path);
  });

  it("checks URLs for their kind, refuses private addresses, and needs a plan with channels", async () => {
    const { orgId, owner } = await makeOrg("pro", "Checked Co");
    const refused = async (kind: string, url: string) =>
      appErrorOf(createChannel(contextOf(orgId, owner), { kind, name: "X", url } as never));
    expect(await refused("slack", "https://example.com/services/x")).toMatchObject({
      code: "validation_failed",
      extra: { errors: [{ path: "url" }] },
    });
    expect(await refused("teams", "https://hooks.slack.com/services/x")).toMatchObject({ code: "validation_failed" });
    expect(await refused("webhook", "http://example.com/hook")).toMatchObject({ code: "validation_failed" });
    expect(await refused("webhook", "https://10.1.2.3/hook")).toMatchObject({ code: "validation_failed" });
    expect(await refused("webhook", "https://user:pw@example.com/hook")).toMatchObject({ code: "validation_failed" });
    const slack = await createChannel(contextOf(orgId, owner), {
      kind: "slack",
      name: "#capture",
      url: "https://hooks.slack.com/services/T0/B0/abcdefgh",
    });
    expect(slack).toMatchObject({
      signing_secret: null,
      channel: { signed: false, url_hint: "hooks.slack.com …efgh" },
    });

    // Members read (to choose an alert's channels) but cannot manage.
    const member = await addMember(orgId, "member");
    expect(await listChannels(contextOf(orgId, member.actor))).toHaveLength(1);
    expect(await appErrorOf(deleteChannel(contextOf(orgId, member.actor), slack.channel.id))).toMatchObject({
      code: "forbidden",
    });

    const starter = await makeOrg("starter", "Starter Co");
    expect(
      await appErrorOf(
        createChannel(contextOf(starter.orgId, starter.owner), { kind: "webhook", name: "X", url: hooks.url() }),
      ),
    ).toMatchObject({ code: "forbidden", extra: { feature: "channels", upgrade_url: "/settings/billing" } });
    expect(await appErrorOf(listChannels(contextOf(starter.orgId, starter.owner)))).toMatchObject({
      code: "forbidden",
    });
  });

  it("after five failures in a row the channel is switched off with one e-mail per owner and admin and one audit row; re-enabling clears it", async () => {
    const { orgId, owner, ownerEmail, created, path } = await proOrgWithHook();
    const admin = await addMember(orgId, "admin");
    const member = await addMember(orgId, "member");
    const id = created.channel.id;

    // A 2xx clears the count: four failures, a success, then five more failures.
    hooks.failNext(4);
    for (let i = 0; i < 4; i++)
      expect(await sendTestPost(contextOf(orgId, owner), id)).toMatchObject({ status: "dead" });
    expect(await sendTestPost(contextOf(orgId, owner), id)).toMatchObject({ status: "delivered" });
    hooks.failNext(CHANNEL_FAILURE_LIMIT);
    let last: Awaited<ReturnType<typeof sendTestPost>> | undefined;
    for (let i = 0; i < CHANNEL_FAILURE_LIMIT; i++) last = await sendTestPost(contextOf(orgId, owner), id);
    expect(last!.error).toBe("webhook answered HTTP 500");
    expect(last!.channel).toMatchObject({ enabled: false, consecutive_failures: 5 });
    expect(last!.channel.disabled_reason).toMatch(/after 5 failed deliveries in a row/);
    expect(received(path)).toHaveLength(10);

    const mails = await db()
      .select()
      .from(emailMessages)
      .where(and(eq(emailMessages.orgId, orgId), eq(emailMessages.kind, "channel_disabled")));
    expect(mails.map((m) => m.toAddress).sort()).toEqual([ownerEmail, admin.email].sort());
    expect(mails.map((m) => m.toAddress)).not.toContain(member.email);
    expect(mails[0]!.textBody).toContain("/settings/channels");
    expect(mails[0]!.textBody).not.toContain(path);
    const audits = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, "channel.auto_disabled")));
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits)).not.toContain(path);

    // Switched off: no test, and a post queued before it is dead at once (it does not count).
    expect(await appErrorOf(sendTestPost(contextOf(orgId, owner), id))).toMatchObject({ code: "conflict" });

    const enabled = await updateChannel(contextOf(orgId, owner), id, { enabled: true });
    expect(enabled).toMatchObject({ enabled: true, consecutive_failures: 0, disabled_at: null, disabled_reason: null });
    const [circuit] = await db()
      .select()
      .from(outboxCircuits)
      .where(eq(outboxCircuits.destination, `channel:${id}`));
    expect(circuit?.state ?? "closed").toBe("closed");
    expect(await sendTestPost(contextOf(orgId, owner), id)).toMatchObject({ status: "delivered" });
    expect((await db().select().from(auditLog).where(eq(auditLog.orgId, orgId))).map((a) => a.action).sort()).toEqual([
      "channel.auto_disabled",
      "channel.created",
      "channel.enabled",
    ]);
  });

  it("an alert's digest is posted to its channels, enqueued with its e-mail, once; deleting a channel detaches it", async () => {
    const { orgId, owner, created, path } = await proOrgWithHook();
    const start = new Date(Date.parse("2043-02-01T00:00:00Z") + Math.floor(Math.random() * 1_000) * 86_400_000);
    const keyword = `bathymetry${randomUUID().slice(0, 6)}`;
    const alert = await createAlert(contextOf(orgId, owner, start), {
      name: "Surveys",
      frequency: "daily",
      q: keyword,
      channel_ids: [created.channel.id],
    });
    expect(alert.channelIds).toEqual([created.channel.id]);
    await insertOpportunity({ createdAt: new Date(start.getTime() + HOUR), title: `${keyword} survey of the bay` });
    const windowEnd = new Date(start.getTime() + 24 * HOUR);
    const result = await runAlertDigest(systemContextOf("digest-fanout"), alert.id, windowEnd);
    expect(result).toMatchObject({ status: "sent", matchCount: 1 });

    const posts = await db()
      .select()
      .from(outboxEvents)
      .where(
        and(eq(outboxEvents.orgId, orgId), like(outboxEvents.dedupeKey, `channel:${created.channel.id}:digest:%`)),
      );
    expect(posts).toHaveLength(1);
    const [digestMail] = await db().select().from(outboxEvents).where(eq(outboxEvents.id, result.emailMessageId!));
    // Written by the same transaction as the digest's e-mail: one commit time.
    expect(posts[0]!.createdAt).toEqual(digestMail!.createdAt);
    const [post] = received(path);
    expect(JSON.parse(post!.body)).toMatchObject({
      type: "alert.matches",
      data: {
        alert: { id: alert.id, name: "Surveys" },
        match_count: 1,
        matches: [{ title: `${keyword} survey of the bay` }],
      },
    });
    // The same window again posts nothing.
    expect(await runAlertDigest(systemContextOf("digest-fanout"), alert.id, windowEnd)).toMatchObject({
      duplicate: true,
    });
    await deliverDueOutbox();
    expect(received(path)).toHaveLength(1);

    await deleteChannel(contextOf(orgId, owner), created.channel.id);
    expect(await db().select().from(alertChannels).where(eq(alertChannels.alertId, alert.id))).toEqual([]);
  });

  it("a change to a notice an alert sent is posted to its channels even when nobody is e-mailed it", async () => {
    const { orgId, created, path } = await proOrgWithHook();
    const at = (time: string) => new Date(`2044-05-06T${time}:00Z`);
    await upsertOpportunities([fromApi(runway)], at("10:05"));
    // The alert mails a shared inbox: nobody's address, so no "what changed" e-mail, but the team's channel hears.
    await withTenant(orgId, async (tx) => {
      const [alert] = await tx
        .insert(alerts)
        .values({ orgId, name: "Runways", frequency: "daily", deliveryEmail: `bids-${randomUUID()}@channels.test` })
        .returning({ id: alerts.id });
      await tx.insert(alertChannels).values({ orgId, alertId: alert!.id, channelId: created.channel.id });
      await tx.insert(alertDigests).values({
        orgId,
        alertId: alert!.id,
        windowStart: at("09:00"),
        windowEnd: at("10:00"),
        matchCount: 1,
        noticeIds: [runway.noticeId as string],
        createdAt: at("10:10"),
      });
    });
    await upsertOpportunities([fromApi(runwayAmended)], at("10:20"));

    expect(await runChangeNotices(systemContextOf("change-notices", at("11:06")))).toEqual({
      changes: 0,
      emailed: 0,
      posted: 1,
    });
    const [post, ...more] = received(path);
    expect(more).toEqual([]);
    expect(JSON.parse(post!.body)).toMatchObject({
      type: "notice.changed",
      data: { notices: [{ notice_id: runwayAmended.noticeId }] },
    });
  });

  it("channel_ids must be the org's own channels, and need a plan with channels", async () => {
    const a = await proOrgWithHook();
    const b = await proOrgWithHook();
    const alert = await createAlert(contextOf(a.orgId, a.owner), { name: "Mine", frequency: "weekly" });
    expect(
      await appErrorOf(updateAlert(contextOf(a.orgId, a.owner), alert.id, { channel_ids: [b.created.channel.id] })),
    ).toMatchObject({ code: "validation_failed", extra: { errors: [{ path: "channel_ids" }] } });
    const set = await updateAlert(contextOf(a.orgId, a.owner), alert.id, { channel_ids: [a.created.channel.id] });
    expect(set.channelIds).toEqual([a.created.channel.id]);
    expect((await updateAlert(contextOf(a.orgId, a.owner), alert.id, { channel_ids: [] })).channelIds).toEqual([]);

    const starter = await makeOrg("starter", "No Channels Co");
    expect(
      await appErrorOf(
        createAlert(contextOf(starter.orgId, starter.owner), {
          name: "X",
          frequency: "daily",
          channel_ids: [a.created.channel.id],
        }),
      ),
    ).toMatchObject({ code: "forbidden", extra: { feature: "channels" } });
  });
});
