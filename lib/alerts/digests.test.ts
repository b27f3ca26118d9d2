import { beforeEach, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { db } from "@/db/client";
import { alertDigests, alerts, businessProfiles, emailMessages, outboxEvents } from "@/db/schema";
import { markNotRelevant } from "@/lib/relevance";
import { describeEachDatabase } from "@/tests/db";
import { appErrorOf } from "@/tests/app-error";
import {
  createAlert,
  findDueAlerts,
  runAlertDigest,
  runDueDigests,
  runInstantAlerts,
  updateAlert,
  DIGEST_CAP,
  setDailySummary,
  type CreateAlertRequest,
} from "./index";
import {
  insertOpportunity,
  makeOrg,
  type OpportunityFixture,
  contextOf,
  systemContextOf,
} from "@/tests/support/factories";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The digest sweeps' context, as their background runs build it; its clock at `now`. */
const fanout = (now?: Date) => systemContextOf("digest-fanout", now);

describeEachDatabase("alert digests", () => {
  // Every test lives in its own stretch of time, far from the others' opportunities, and starts
  // with every earlier test's alerts paused, so the sweeps only see this test's alerts.
  let epoch = Date.parse("2031-01-01T00:00:00Z");
  let T0 = new Date(epoch);
  beforeEach(async () => {
    epoch += 60 * DAY;
    T0 = new Date(epoch);
    await db().update(alerts).set({ active: false });
  });
  const at = (ms: number) => new Date(T0.getTime() + ms);

  async function newAlert(request: Partial<CreateAlertRequest> = {}, createdAt = T0) {
    const { orgId, owner } = await makeOrg("enterprise");
    const row = await createAlert(contextOf(orgId, owner, createdAt), {
      name: "Watch",
      frequency: "daily",
      delivery_email: `${crypto.randomUUID()}@digest.test`,
      ...request,
    });
    return row;
  }
  const opp = (createdAt: Date, fixture: Omit<OpportunityFixture, "createdAt"> = {}) =>
    insertOpportunity({ createdAt, ...fixture });

  async function digestsOf(alertId: string) {
    return db().select().from(alertDigests).where(eq(alertDigests.alertId, alertId)).orderBy(alertDigests.windowEnd);
  }
  async function emailsTo(address: string) {
    return db()
      .select()
      .from(emailMessages)
      .where(and(eq(emailMessages.toAddress, address), eq(emailMessages.kind, "alert_digest")));
  }

  it("a window is (last window end, window end]: an opportunity created exactly at the end is in it, not the next", async () => {
    const alert = await newAlert({ q: "boundary" });
    await opp(T0, { title: "boundary at start" });
    const first = await opp(at(1), { title: "boundary just after start" });
    const end = at(DAY);
    const atEnd = await opp(end, { title: "boundary at end" });
    const next = await opp(at(DAY + 1), { title: "boundary just after end" });

    const one = await runAlertDigest(fanout(), alert.id, end);
    expect(one).toMatchObject({ status: "sent", duplicate: false, matchCount: 2 });
    expect(one.noticeIds.sort()).toEqual([first, atEnd].sort());
    const two = await runAlertDigest(fanout(), alert.id, at(2 * DAY));
    expect(two).toMatchObject({ status: "sent", matchCount: 1, noticeIds: [next] });

    const digests = await digestsOf(alert.id);
    expect(digests.map((d) => [d.windowStart.getTime(), d.windowEnd.getTime(), d.matchCount])).toEqual([
      [T0.getTime(), end.getTime(), 2],
      [end.getTime(), at(2 * DAY).getTime(), 1],
    ]);
    expect((await db().select().from(alerts).where(eq(alerts.id, alert.id)))[0]!.lastWindowEnd).toEqual(at(2 * DAY));
  });

  it("windows use when Beacon ingested an opportunity, and leave out ones posted after the window", async () => {
    const alert = await newAlert({ q: "ingested" });
    // Posted long ago, but new to Beacon in this window: it is news to the customer.
    const old = await opp(at(HOUR), { title: "ingested late", postedAt: new Date(T0.getTime() - 300 * DAY) });
    // Known to Beacon before the alert existed, even if posted since: not new.
    await opp(at(-HOUR), { title: "ingested before the alert", postedAt: at(HOUR) });
    // A posted date after the window's end (bad data) waits for a window that contains it.
    await opp(at(2 * HOUR), { title: "ingested future posting", postedAt: at(2 * DAY) });
    const result = await runAlertDigest(fanout(), alert.id, at(DAY));
    expect(result.noticeIds).toEqual([old]);
  });

  it("matches use the search's filters: keywords (stemmed), NAICS prefix and range, state, set-aside", async () => {
    const alert = await newAlert({ q: "radar", naics: ["5415", "31-33"], states: ["VA", "MD"], set_asides: ["SBA"] });
    const t = at(HOUR);
    const hit = await opp(t, { title: "Radars maintenance", naicsCode: "541512", popState: "VA", setAsideCode: "SBA" });
    const hitRange = await opp(t, { title: "Radar parts", naicsCode: "336411", popState: "MD", setAsideCode: "SBA" });
    await opp(t, { title: "Radar maintenance", naicsCode: "236220", popState: "VA", setAsideCode: "SBA" });
    await opp(t, { title: "Radar maintenance", naicsCode: null, popState: "VA", setAsideCode: "SBA" });
    await opp(t, { title: "Radar maintenance", naicsCode: "541512", popState: "CA", setAsideCode: "SBA" });
    await opp(t, { title: "Radar maintenance", naicsCode: "541512", popState: "VA", setAsideCode: "8A" });
    await opp(t, { title: "Sonar maintenance", naicsCode: "541512", popState: "VA", setAsideCode: "SBA" });
    const result = await runAlertDigest(fanout(), alert.id, at(DAY));
    expect(result.matchCount).toBe(2);
    expect(result.noticeIds.sort()).toEqual([hit, hitRange].sort());
  });

  it("ranks by relevance with keywords and newest first without; lists the alert's digest limit (25 unless set) and links to the rest", async () => {
    const ranked = await newAlert({ q: "telescope" });
    const weak = await opp(at(HOUR), { title: "Optics", description: "includes a telescope" });
    const strong = await opp(at(2 * HOUR), { title: "Telescope telescope mirror", description: "telescope" });
    expect((await runAlertDigest(fanout(), ranked.id, at(DAY))).noticeIds).toEqual([strong, weak]);

    const capped = await newAlert({ naics: ["111"], states: [] }, at(DAY));
    const widest = await newAlert({ naics: ["111"], digest_limit: DIGEST_CAP }, at(DAY));
    await expect(appErrorOf(newAlert({ digest_limit: DIGEST_CAP + 1 }))).resolves.toMatchObject({
      code: "validation_failed",
    });
    const ids: string[] = [];
    for (let i = 0; i < DIGEST_CAP + 5; i++)
      ids.push(await opp(at(DAY + HOUR), { naicsCode: "111110", postedAt: at(i * MINUTE) }));
    const result = await runAlertDigest(fanout(), capped.id, at(2 * DAY));
    expect(result.matchCount).toBe(DIGEST_CAP + 5);
    expect(result.noticeIds).toEqual(ids.slice(-25).reverse());
    const [digest] = await digestsOf(capped.id);
    expect(digest).toMatchObject({ matchCount: DIGEST_CAP + 5, noticeIds: result.noticeIds });
    const [email] = await emailsTo(capped.deliveryEmail);
    expect(email!.textBody).toContain(`…and ${DIGEST_CAP + 5 - 25} more: http`);
    expect(email!.textBody).toContain("/opportunities?naics=111\n");
    expect((await runAlertDigest(fanout(), widest.id, at(2 * DAY))).noticeIds).toEqual(ids.slice(5).reverse());
  });

  it("ranks by the org's fit score, says why, and leaves out and lowers what the org marked not relevant", async () => {
    const alert = await newAlert({ naics: ["5415"] });
    await db()
      .insert(businessProfiles)
      .values({
        orgId: alert.orgId,
        companyName: "Fit Co",
        naicsCodes: ["541512", "5415"],
        keywords: ["radar"],
        setAsides: ["SBA"],
        states: ["VA"],
      });
    const t = at(HOUR);
    const notice = { naicsCode: "541512", agencyPath: "NAVY.NAVSEA", description: "" };
    const best = await opp(t, {
      ...notice,
      title: "Radar upgrade",
      setAsideCode: "SBA",
      popState: "VA",
      type: "Solicitation",
    });
    const marked = await opp(t, { ...notice, title: "Sonar", type: "Solicitation", solicitationNumber: "N-1" });
    const amended = await opp(t, { ...notice, title: "Sonar", type: "Presolicitation", solicitationNumber: "N-1" });
    const parent = await opp(t, {
      ...notice,
      naicsCode: "541519",
      agencyPath: "ARMY",
      title: "Help desk",
      type: "Sources Sought",
    });
    // Another org with the same profile and no marks: 100, 55, 47, 28 (exact NAICS 35 or parent 20,
    // set-aside 20, VA 10, keyword in title 15, solicitation 20 / presolicitation 12 / sources sought 8).
    const unmarked = await newAlert({ naics: ["5415"] });
    await db()
      .insert(businessProfiles)
      .values({
        ...(await db().select().from(businessProfiles).where(eq(businessProfiles.orgId, alert.orgId)))[0]!,
        orgId: unmarked.orgId,
      });
    expect((await runAlertDigest(fanout(), unmarked.id, at(DAY))).noticeIds).toEqual([best, marked, amended, parent]);
    await markNotRelevant(contextOf(alert.orgId, { userId: alert.createdBy!, role: "owner" }), marked);
    const result = await runAlertDigest(fanout(), alert.id, at(DAY));
    // The marked notice is left out; its amendment (same solicitation) drops by 30, below the parent-code one.
    expect(result).toMatchObject({ matchCount: 3, noticeIds: [best, parent, amended] });
    const [email] = await emailsTo(alert.deliveryEmail);
    expect(email!.textBody).toContain(
      "Why: Exact NAICS 541512 · Small-business set-aside you qualify for · In VA · ‘radar’ in title · Solicitation",
    );
    expect(email!.textBody).toContain("Like a notice your team marked not relevant");
  });

  it("records a digest once per window and e-mails once, escaped, linked to the digest", async () => {
    const alert = await newAlert({ name: "Escapes <b>", q: "scripted" });
    const noticeId = await opp(at(HOUR), {
      title: `<script>alert("x")</script> scripted services`,
      agencyPath: "A & B <agency>",
    });
    const end = at(DAY);
    const first = await runAlertDigest(fanout(), alert.id, end);
    expect(first).toMatchObject({ status: "sent", duplicate: false, matchCount: 1, noticeIds: [noticeId] });
    const retry = await runAlertDigest(fanout(), alert.id, end);
    expect(retry).toMatchObject({ status: "duplicate", duplicate: true, digestId: null, emailMessageId: null });

    const digests = await digestsOf(alert.id);
    expect(digests).toHaveLength(1);
    const emails = await emailsTo(alert.deliveryEmail);
    expect(emails).toHaveLength(1);
    expect(digests[0]!.emailMessageId).toBe(emails[0]!.id);
    expect(first.emailMessageId).toBe(emails[0]!.id);
    // The e-mail went through the outbox, keyed by (alert, window), and was delivered at once.
    const [queued] = await db().select().from(outboxEvents).where(eq(outboxEvents.id, emails[0]!.id));
    expect(queued).toMatchObject({
      kind: "email",
      orgId: alert.orgId,
      dedupeKey: `alert_digest:${alert.id}:${end.toISOString()}`,
      status: "delivered",
    });
    expect(emails[0]!.sentAt).toBeInstanceOf(Date);
    const email = emails[0]!;
    expect(email.orgId).toBe(alert.orgId);
    expect(email.subject).toBe("1 new opportunity for “Escapes <b>”");
    expect(email.htmlBody).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; scripted services");
    expect(email.htmlBody).toContain("A &amp; B &lt;agency&gt;");
    expect(email.htmlBody).not.toMatch(/<script|<agency>|<b>/);
    expect(email.textBody).toContain(`/opportunities/${noticeId}`);
  });

  it("concurrent runs of the same window record one digest and send one e-mail", async () => {
    const alert = await newAlert({ q: "concurrent" });
    await opp(at(HOUR), { title: "concurrent works" });
    const results = await Promise.all(Array.from({ length: 4 }, () => runAlertDigest(fanout(), alert.id, at(DAY))));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(results.filter((r) => r.duplicate)).toHaveLength(3);
    expect(await digestsOf(alert.id)).toHaveLength(1);
    expect(await emailsTo(alert.deliveryEmail)).toHaveLength(1);
  });

  it("concurrent runs for different window ends still cover each opportunity once", async () => {
    const alert = await newAlert({ q: "overlap" });
    await opp(at(HOUR), { title: "overlap works" });
    const results = await Promise.all([
      runAlertDigest(fanout(), alert.id, at(DAY)),
      runAlertDigest(fanout(), alert.id, at(DAY + MINUTE)),
    ]);
    // Overlapping, one run claims the window and the other is a duplicate. A run that starts only
    // once the other has committed covers (DAY, DAY + 1 min], which holds nothing new: either
    // way the notice is in exactly one digest and one e-mail.
    expect(results.filter((r) => !r.duplicate && r.matchCount > 0)).toHaveLength(1);
    expect((await digestsOf(alert.id)).filter((d) => d.matchCount > 0)).toHaveLength(1);
    expect(await emailsTo(alert.deliveryEmail)).toHaveLength(1);
    // A stale retry for an earlier end is already covered, too.
    expect(await runAlertDigest(fanout(), alert.id, at(HOUR))).toMatchObject({ duplicate: true });
  });

  it("a window without matches is recorded but sends nothing", async () => {
    const alert = await newAlert({ q: "nothingmatchesthis" });
    await opp(at(HOUR), { title: "unrelated" });
    const result = await runAlertDigest(fanout(), alert.id, at(DAY));
    expect(result).toMatchObject({
      status: "empty",
      duplicate: false,
      matchCount: 0,
      noticeIds: [],
      emailMessageId: null,
    });
    const [digest] = await digestsOf(alert.id);
    expect(digest).toMatchObject({ matchCount: 0, noticeIds: [], emailMessageId: null });
    expect(await emailsTo(alert.deliveryEmail)).toEqual([]);
  });

  it("paused alerts are left alone; unknown ids are 404", async () => {
    const alert = await newAlert({ q: "paused" });
    await updateAlert(contextOf(alert.orgId, { apiKeyId: "k" }, T0), alert.id, { active: false });
    await opp(at(HOUR), { title: "paused works" });
    expect(await runAlertDigest(fanout(), alert.id, at(DAY))).toMatchObject({ status: "inactive", digestId: null });
    expect(await digestsOf(alert.id)).toEqual([]);
    expect((await appErrorOf(runAlertDigest(fanout(), "00000000-0000-4000-8000-000000000000", at(DAY)))).code).toBe(
      "not_found",
    );
    expect((await appErrorOf(runAlertDigest(fanout(), "nope", at(DAY)))).code).toBe("not_found");
  });

  it("findDueAlerts: daily after 24 h, weekly after 7 days, never instant or paused ones", async () => {
    const daily = await newAlert({ frequency: "daily" });
    const weekly = await newAlert({ frequency: "weekly" });
    const instant = await newAlert({ frequency: "instant" });
    const paused = await newAlert({ frequency: "daily" });
    await updateAlert(contextOf(paused.orgId, { apiKeyId: "k" }, T0), paused.id, { active: false });
    const ids = async (now: Date) => (await findDueAlerts(fanout(now))).map((a) => a.id);
    expect(await ids(at(DAY - 1))).toEqual([]);
    expect(await ids(at(DAY))).toEqual([daily.id]);
    expect(await ids(at(7 * DAY))).toEqual([weekly.id, daily.id].sort((a, b) => (a < b ? -1 : 1)));
    expect(await ids(at(30 * DAY))).not.toContain(instant.id);
    expect((await findDueAlerts(fanout(at(7 * DAY)), { limit: 1 })).length).toBe(1);
  });

  it("runDueDigests sends each due alert's digest once, however often it is retried or run at once", async () => {
    const a = await newAlert({ q: "sweep alpha" });
    const b = await newAlert({ q: "sweep beta" });
    const quiet = await newAlert({ q: "sweep gamma" });
    const weekly = await newAlert({ q: "sweep alpha", frequency: "weekly" });
    await opp(at(HOUR), { title: "sweep alpha one" });
    await opp(at(2 * HOUR), { title: "sweep beta one" });

    expect(await runDueDigests(fanout(at(DAY - MINUTE)))).toEqual({ alerts: 0, digests: 0, emails: 0 });
    // Windows close a minute behind the clock (INGESTION_SETTLE_MS).
    const now = at(DAY + MINUTE + 30_000);
    const [one, two] = await Promise.all([runDueDigests(fanout(now)), runDueDigests(fanout(now))]);
    expect(one.digests + two.digests).toBe(3);
    expect(one.emails + two.emails).toBe(2);
    // A retry later in the same minute, and the next sweep, find nothing more to do.
    expect(await runDueDigests(fanout(at(DAY + MINUTE + 45_000)))).toEqual({ alerts: 0, digests: 0, emails: 0 });
    expect(await runDueDigests(fanout(at(DAY + 15 * MINUTE)))).toEqual({ alerts: 0, digests: 0, emails: 0 });

    for (const alert of [a, b, quiet]) {
      const digests = await digestsOf(alert.id);
      expect(digests.map((d) => d.windowEnd)).toEqual([at(DAY)]);
    }
    expect(await emailsTo(a.deliveryEmail)).toHaveLength(1);
    expect(await emailsTo(b.deliveryEmail)).toHaveLength(1);
    expect(await emailsTo(quiet.deliveryEmail)).toHaveLength(0);
    expect(await digestsOf(weekly.id)).toEqual([]);

    // The next day's window starts where this one ended.
    await opp(at(DAY + HOUR), { title: "sweep alpha two" });
    expect(await runDueDigests(fanout(at(2 * DAY + 2 * MINUTE)))).toMatchObject({ alerts: 3, digests: 3, emails: 1 });
    expect((await digestsOf(a.id)).map((d) => d.matchCount)).toEqual([1, 1]);
    // The weekly alert's first window spans its whole week.
    expect(await runDueDigests(fanout(at(7 * DAY + MINUTE)))).toMatchObject({ digests: 4, emails: 1 });
    expect((await digestsOf(weekly.id)).map((d) => d.matchCount)).toEqual([2]);
  });

  it("instant alerts: a digest for each alert matching what was stored since its cursor, once, never the back catalogue", async () => {
    await opp(at(-HOUR), { title: "lidar from before the alert" });
    const lidar = await newAlert({ frequency: "instant", q: "lidar" });
    const sonar = await newAlert({ frequency: "instant", q: "sonar" });
    const daily = await newAlert({ frequency: "daily", q: "lidar" });
    const ingestedAt = at(HOUR);
    const n1 = await opp(ingestedAt, { title: "lidar survey" });
    const n2 = await opp(ingestedAt, { title: "lidar mapping" });
    await opp(ingestedAt, { title: "unrelated" });

    // The window closes at the newest notice stored, not at the clock.
    const now = at(HOUR + 20_000);
    const summary = await runInstantAlerts(fanout(now));
    expect(summary).toMatchObject({ alerts: 1, digests: 1, emails: 1, coveredThrough: ingestedAt.toISOString() });
    expect(summary.evaluated).toBeGreaterThanOrEqual(2);
    const [digest] = await digestsOf(lidar.id);
    expect(digest).toMatchObject({ windowStart: T0, windowEnd: ingestedAt, matchCount: 2 });
    expect(digest!.noticeIds.sort()).toEqual([n1, n2].sort());
    // Sonar matched nothing: no digest, but its cursor moved all the same.
    expect(await digestsOf(sonar.id)).toEqual([]);
    expect((await db().select().from(alerts).where(eq(alerts.id, sonar.id)))[0]!.lastWindowEnd).toEqual(ingestedAt);
    expect(await digestsOf(daily.id)).toEqual([]);

    // Running again (a retry, the sweep), now or later, or twice at once, sends nothing.
    expect(await runInstantAlerts(fanout(now))).toMatchObject({ alerts: 0, digests: 0, emails: 0, evaluated: 0 });
    expect(await runInstantAlerts(fanout(at(HOUR + 90_000)))).toMatchObject({ alerts: 0, digests: 0, emails: 0 });
    const [again1, again2] = await Promise.all([
      runInstantAlerts(fanout(at(2 * HOUR))),
      runInstantAlerts(fanout(at(2 * HOUR))),
    ]);
    expect(again1.digests + again2.digests).toBe(0);
    expect(await emailsTo(lidar.deliveryEmail)).toHaveLength(1);

    // The next notices open the next window.
    const n4 = await opp(at(3 * HOUR), { title: "lidar again" });
    expect(await runInstantAlerts(fanout(at(3 * HOUR + MINUTE)))).toMatchObject({ alerts: 1, digests: 1, emails: 1 });
    expect((await digestsOf(lidar.id)).map((d) => d.noticeIds)).toEqual([expect.any(Array), [n4]]);
  });

  it("instant alerts: notices stored while no run happened (lost events, flag off, failed runs) arrive with the next run, all of them", async () => {
    const alert = await newAlert({ frequency: "instant", q: "hydrography" });
    const first = await opp(at(HOUR), { title: "hydrography survey" });
    expect(await runInstantAlerts(fanout(at(HOUR + MINUTE)))).toMatchObject({ digests: 1 });
    // Three ingestions whose runs never happened.
    const missed = [
      await opp(at(2 * HOUR), { title: "hydrography north" }),
      await opp(at(3 * HOUR), { title: "hydrography south" }),
      await opp(at(4 * HOUR), { title: "hydrography east" }),
    ];
    const caughtUp = await runInstantAlerts(fanout(at(5 * HOUR)));
    expect(caughtUp).toMatchObject({ alerts: 1, digests: 1, emails: 1 });
    const digests = await digestsOf(alert.id);
    expect(digests.map((d) => d.noticeIds.sort())).toEqual([[first], [...missed].sort()]);
    expect(digests[1]).toMatchObject({ windowStart: at(HOUR), windowEnd: at(4 * HOUR), matchCount: 3 });
    expect(await emailsTo(alert.deliveryEmail)).toHaveLength(2);
  });

  it("concurrent instant runs for the same notices send one digest per alert", async () => {
    const alerts2 = await Promise.all([
      newAlert({ frequency: "instant", q: "parallel" }),
      newAlert({ frequency: "instant", q: "parallel" }),
    ]);
    await opp(at(HOUR), { title: "parallel processing" });
    const runs = await Promise.all([
      runInstantAlerts(fanout(at(HOUR + MINUTE))),
      runInstantAlerts(fanout(at(HOUR + MINUTE))),
      runInstantAlerts(fanout(at(HOUR + 2 * MINUTE))),
    ]);
    expect(runs.reduce((sum, r) => sum + r.digests, 0)).toBe(2);
    expect(runs.reduce((sum, r) => sum + r.emails, 0)).toBe(2);
    const digests = await db()
      .select()
      .from(alertDigests)
      .where(
        inArray(
          alertDigests.alertId,
          alerts2.map((a) => a.id),
        ),
      );
    expect(digests).toHaveLength(2);
  });

  it("an empty daily window mails a 'nothing new' note only to alerts that opted in, with how many notices were read, once", async () => {
    const quiet = { q: "zqxjv unmatched words" };
    const optedIn = await newAlert({ ...quiet, nothing_new_email: true });
    const silent = await newAlert(quiet);
    const instant = await newAlert({ ...quiet, frequency: "instant", nothing_new_email: true });
    for (const h of [1, 2, 3]) await opp(at(h * HOUR), { title: `Unrelated notice ${h}` });
    await opp(at(DAY + 30 * MINUTE), { title: "Unrelated, next window" });
    const mailTo = (address: string) => db().select().from(emailMessages).where(eq(emailMessages.toAddress, address));

    const now = at(DAY + 2 * MINUTE);
    const run = await runDueDigests(fanout(now));
    expect(run).toMatchObject({ digests: 2, emails: 1 });
    const [note] = await mailTo(optedIn.deliveryEmail);
    expect(note).toMatchObject({ kind: "alert_nothing_new", subject: "Nothing new for “Watch” today" });
    expect(note!.textBody).toContain("We read 3 new notices today; none matched “Watch”.");
    expect(note!.htmlBody).toContain("Unsubscribe from this alert");
    expect((await digestsOf(optedIn.id))[0]).toMatchObject({ matchCount: 0, emailMessageId: note!.id });
    expect(await mailTo(silent.deliveryEmail)).toEqual([]);

    // The same window again sends nothing; an instant alert never gets the note.
    expect(await runDueDigests(fanout(now))).toMatchObject({ digests: 0, emails: 0 });
    expect(await mailTo(optedIn.deliveryEmail)).toHaveLength(1);
    expect(await runAlertDigest(fanout(), instant.id, at(DAY))).toMatchObject({
      status: "empty",
      emailMessageId: null,
    });
    expect(await mailTo(instant.deliveryEmail)).toEqual([]);
  });

  it("a member's daily summary: one e-mail per address with a section per alert, each capped; windows aligned; once", async () => {
    const { orgId, owner } = await makeOrg("enterprise");
    await setDailySummary(owner.userId, true);
    const inbox = `${crypto.randomUUID()}@summary.test`;
    const other = `${crypto.randomUUID()}@summary.test`;
    const make = (name: string, request: Partial<CreateAlertRequest>, createdAt = T0) =>
      createAlert(contextOf(orgId, owner, createdAt), { name, frequency: "daily", delivery_email: inbox, ...request });
    const alpha = await make("Alpha", { q: "lighthouse", digest_limit: 1 });
    // Created later: not due yet, so it joins its group's run and closes its window with them.
    const beta = await make("Beta", { q: "lighthouse" }, at(3 * HOUR));
    const gamma = await make("Gamma", { q: "zqxjv unmatched words", nothing_new_email: true });
    const elsewhere = await make("Elsewhere", { q: "lighthouse", delivery_email: other });
    await opp(at(HOUR), { title: "Lighthouse lens repair" });
    await opp(at(4 * HOUR), { title: "Lighthouse painting" });
    const mailTo = (address: string) => db().select().from(emailMessages).where(eq(emailMessages.toAddress, address));

    const now = at(DAY + 2 * MINUTE);
    expect(await runDueDigests(fanout(now))).toMatchObject({ digests: 4, emails: 4 });
    const [summary, ...extra] = await mailTo(inbox);
    expect(extra).toEqual([]);
    expect(summary).toMatchObject({ kind: "alert_summary", subject: "3 new opportunities across your 3 alerts" });
    const text = summary!.textBody;
    expect(text.indexOf("== “Alpha”: 2 new opportunities ==")).toBeGreaterThan(-1);
    expect(text.indexOf("== “Beta”: 1 new opportunity ==")).toBeGreaterThan(text.indexOf("“Alpha”"));
    expect(text).toContain("== “Gamma”: nothing new ==\nWe read 2 new notices today; none matched.");
    // Alpha keeps its own cap: one listed, the other behind "…and 1 more".
    expect(text.split("Alpha”: 2")[1]!.split("==")[1]).toContain("…and 1 more");
    expect(text.match(/Unsubscribe from this alert: /g)).toHaveLength(3);
    const [queued] = await db().select().from(outboxEvents).where(eq(outboxEvents.id, summary!.id));
    expect(queued!.payload).toMatchObject({ unsubscribe: "{{unsubscribe}}" });

    const digests = await db()
      .select()
      .from(alertDigests)
      .where(inArray(alertDigests.alertId, [alpha.id, beta.id, gamma.id]));
    expect(digests.map((d) => d.emailMessageId)).toEqual([summary!.id, summary!.id, summary!.id]);
    const windows = await db()
      .select({ end: alerts.lastWindowEnd })
      .from(alerts)
      .where(inArray(alerts.id, [alpha.id, beta.id, gamma.id]));
    expect(new Set(windows.map((w) => w.end!.getTime()))).toEqual(new Set([at(DAY + MINUTE).getTime()]));
    expect((await mailTo(other)).map((m) => m.kind)).toEqual(["alert_digest"]);
    expect((await digestsOf(elsewhere.id))[0]!.matchCount).toBe(2);

    expect(await runDueDigests(fanout(now))).toMatchObject({ digests: 0, emails: 0 });
    expect(await mailTo(inbox)).toHaveLength(1);

    // Summary off: the next day's windows go out one e-mail per alert.
    await setDailySummary(owner.userId, false);
    await opp(at(DAY + HOUR), { title: "Lighthouse keeper cottage" });
    await runDueDigests(fanout(at(2 * DAY + 2 * MINUTE)));
    expect((await mailTo(inbox)).map((m) => m.kind).sort()).toEqual([
      "alert_digest",
      "alert_digest",
      "alert_nothing_new",
      "alert_summary",
    ]);
  });
});
