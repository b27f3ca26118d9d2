// Every route file under app/api, with how to call it: which credentials, which path params,
// which query keys and a valid body to mutate. The sweep globs app/api at test time and fails
// for a route file (or an exported method) this catalogue does not describe, so new routes
// cannot slip past it.
import { readdirSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { addMember, makeOrg, contextOf } from "@/tests/support/factories";
import { createAlert } from "@/lib/alerts";
import { createApiKey } from "@/lib/auth";
import { createChannel } from "@/lib/channels";
import { inviteMember } from "@/lib/orgs";
import { requestAndBuildExport } from "@/lib/retention";
import { operatorCookies, sessionCookieFor } from "@/tests/route-helpers";
import { hostileString } from "./hostile-values";
import { systemActor } from "@/lib/context";

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type Credential = "none" | "apiKeyA" | "ownerA" | "viewerA" | "opsAdmin" | "opsViewer" | "opsUnverified";

/** Rows of two orgs and the credentials that reach them; B's ids are used with A's credentials. */
export interface Fixtures {
  orgA: string;
  orgB: string;
  orgBName: string;
  headers: Record<Credential, Record<string, string>>;
  /** Ids that belong to org A (valid targets for A's credentials). */
  own: { alert: string; apiKey: string; invitation: string; member: string; dataRequest: string; channel: string };
  /** Ids that belong to org B: A's credentials must get 404 for every one. */
  foreign: { alert: string; apiKey: string; invitation: string; member: string; dataRequest: string; channel: string };
}

export async function buildFixtures(): Promise<Fixtures> {
  const a = await makeOrg("pro", "Hostile A");
  const b = await makeOrg("pro", "Hostile B");
  const viewerA = await addMember(a.orgId, "viewer");
  const memberA = await addMember(a.orgId, "member");
  const memberB = await addMember(b.orgId, "member");
  const keyA = await createApiKey(contextOf(a.orgId, systemActor("seed")), { name: "sweep" });
  const keyB = await createApiKey(contextOf(b.orgId, systemActor("seed")), { name: "victim" });
  const alertA = await createAlert(contextOf(a.orgId, a.owner), { name: "A alert", frequency: "daily" });
  const alertB = await createAlert(contextOf(b.orgId, b.owner), { name: "B alert", frequency: "daily" });
  const invA = await inviteMember(contextOf(a.orgId, a.owner), { email: "invitee-a@hostile.test", role: "member" });
  const invB = await inviteMember(contextOf(b.orgId, b.owner), { email: "invitee-b@hostile.test", role: "member" });
  const exportA = await requestAndBuildExport(contextOf(a.orgId, a.owner));
  const exportB = await requestAndBuildExport(contextOf(b.orgId, b.owner));
  const channelA = await createChannel(contextOf(a.orgId, a.owner), {
    kind: "webhook",
    name: "A hook",
    url: "https://hooks.hostile.test/a",
  });
  const channelB = await createChannel(contextOf(b.orgId, b.owner), {
    kind: "slack",
    name: "B slack",
    url: "https://hooks.slack.com/services/T000/B000/hostile",
  });
  const ops = await operatorCookies();
  const same = { origin: "http://localhost:3000" };
  return {
    orgA: a.orgId,
    orgB: b.orgId,
    orgBName: "Hostile B",
    headers: {
      none: {},
      apiKeyA: { authorization: `Bearer ${keyA.key}` },
      ownerA: { cookie: await sessionCookieFor(a.owner.userId), ...same },
      viewerA: { cookie: await sessionCookieFor(viewerA.actor.userId), ...same },
      opsAdmin: { cookie: ops.ops_admin, ...same },
      opsViewer: { cookie: ops.ops_viewer, ...same },
      opsUnverified: { cookie: ops.unverified, ...same },
    },
    own: {
      alert: alertA.id,
      apiKey: keyA.id,
      invitation: invA.invitation.id,
      member: memberA.actor.userId,
      dataRequest: exportA.request.id,
      channel: channelA.channel.id,
    },
    foreign: {
      alert: alertB.id,
      apiKey: keyB.id,
      invitation: invB.invitation.id,
      member: memberB.actor.userId,
      dataRequest: exportB.request.id,
      channel: channelB.channel.id,
    },
  };
}

/** Placeholder fixtures for checks that only need the shape of the catalogue. */
export const SHAPE_ONLY_FIXTURES: Fixtures = (() => {
  const ids = { alert: "a", apiKey: "k", invitation: "i", member: "m", dataRequest: "d", channel: "c" };
  const none = {} as Record<string, string>;
  return {
    orgA: "a",
    orgB: "b",
    orgBName: "B",
    headers: { none, apiKeyA: none, ownerA: none, viewerA: none, opsAdmin: none, opsViewer: none, opsUnverified: none },
    own: ids,
    foreign: ids,
  };
})();

export interface RouteCase {
  /** Credentials to sweep with (each also gets random headers on top). */
  credentials: Credential[];
  /** Path params: name → values to try (catch-alls give arrays). */
  params?: (f: Fixtures) => Record<string, fc.Arbitrary<string | string[]>>;
  /** Query keys the route knows, mixed in among random ones. */
  queryKeys?: string[];
  /** A valid body per method; the sweep mutates it. */
  sample?: (f: Fixtures) => Partial<Record<HttpMethod, Record<string, unknown>>>;
  /**
   * Routes that speak someone else's protocol (Auth.js, Inngest): their error bodies are that
   * library's, so only "no 5xx" and "nothing changed" are asserted, not Problem+JSON.
   */
  foreignProtocol?: boolean;
  /** Tables a 4xx of this route may write by contract, with the reason in a comment. */
  writesOnReject?: string[];
  /** The handler wants a NextRequest (Auth.js reads `nextUrl`). */
  nextRequest?: boolean;
}

const V1: Credential[] = ["none", "apiKeyA"];
const APP: Credential[] = ["none", "ownerA", "viewerA"];
const ADMIN: Credential[] = ["none", "opsAdmin", "opsViewer", "opsUnverified", "ownerA"];

/** A path segment as Next.js would hand it over (decoded, no slash). */
// Well-formed only: a URL path is UTF-8, so a lone surrogate can never arrive as a param.
const segment = hostileString
  .map((s) => s.slice(0, 300).replaceAll("/", "_").toWellFormed())
  .filter((s) => s.length > 0);
const anyId = (...known: string[]) => fc.oneof(segment, fc.uuid(), fc.constantFrom(...known));
const idParam = (pick: (f: Fixtures) => string[]) => (f: Fixtures) => ({ id: anyId(...pick(f)) });
const alertIds = idParam((f) => [f.own.alert, f.foreign.alert]);
const adminIds = idParam((f) => [f.orgA, f.orgB, f.own.member]);

const alertSample = {
  name: "Cyber",
  frequency: "daily",
  q: "cyber",
  naics: ["5415"],
  states: ["VA"],
  set_asides: ["SBA"],
};

export const ROUTE_CASES: Record<string, RouteCase> = {
  "app/api/[...path]/route.ts": {
    credentials: ["none"],
    params: () => ({ path: fc.array(segment, { minLength: 1, maxLength: 4 }) }),
  },
  "app/api/healthz/route.ts": { credentials: ["none"] },
  "app/api/metrics/route.ts": { credentials: ["none", "apiKeyA", "opsAdmin"] },
  "app/api/readyz/route.ts": { credentials: ["none"] },
  "app/api/auth/[...nextauth]/route.ts": {
    credentials: ["none"],
    foreignProtocol: true,
    nextRequest: true,
    queryKeys: ["callbackUrl", "error", "token", "email"],
    params: () => ({
      nextauth: fc.oneof(
        fc.constantFrom<string[]>(
          ["signin"],
          ["signin", "email"],
          ["callback", "email"],
          ["session"],
          ["csrf"],
          ["providers"],
          ["signout"],
          ["error"],
          ["verify-request"],
        ),
        fc.array(segment, { minLength: 1, maxLength: 3 }),
      ),
    }),
    sample: () => ({ POST: { email: "someone@hostile.test", csrfToken: "x", callbackUrl: "/dashboard" } }),
  },
  "app/api/inngest/route.ts": {
    credentials: ["none"],
    foreignProtocol: true,
    queryKeys: ["fnId", "stepId", "probe", "deployId"],
  },
  "app/api/webhooks/stripe/route.ts": {
    credentials: ["none"],
    sample: () => ({ POST: { id: "evt_1", object: "event", type: "customer.updated", data: { object: {} } } }),
  },

  "app/api/v1/me/route.ts": { credentials: V1 },
  "app/api/v1/openapi.json/route.ts": { credentials: V1 },
  "app/api/v1/usage/route.ts": { credentials: V1 },
  "app/api/v1/alerts/route.ts": { credentials: V1, sample: () => ({ POST: alertSample }) },
  "app/api/v1/alerts/[id]/route.ts": { credentials: V1, params: alertIds },
  "app/api/v1/opportunities/route.ts": {
    credentials: V1,
    queryKeys: ["q", "naics", "state", "set_aside", "posted_from", "posted_to", "as_of", "status", "limit", "cursor"],
  },
  "app/api/v1/opportunities/[noticeId]/route.ts": {
    credentials: V1,
    params: () => ({ noticeId: fc.oneof(segment, fc.uuid()) }),
    // A 404 for an unknown notice id is a served, charged lookup (API.md: metered routes), so it
    // records a usage event, moves the quota (opening the period's ledger entry on first use) and
    // stores an Idempotency-Key's answer.
    writesOnReject: ["usage_events", "usage_quotas", "quota_adjustments", "idempotency_keys"],
  },

  "app/api/app/alerts/route.ts": {
    credentials: APP,
    sample: (f) => ({ POST: { ...alertSample, channel_ids: [f.own.channel] } }),
  },
  "app/api/app/alerts/[id]/route.ts": {
    credentials: APP,
    params: alertIds,
    sample: () => ({ PATCH: { name: "Renamed", active: false, frequency: "weekly" } }),
  },
  "app/api/app/api-keys/route.ts": { credentials: APP, sample: () => ({ POST: { name: "CRM sync" } }) },
  "app/api/app/api-keys/[id]/route.ts": { credentials: APP, params: idParam((f) => [f.foreign.apiKey]) },
  "app/api/app/invitations/route.ts": {
    credentials: APP,
    sample: () => ({ POST: { email: "new@hostile.test", role: "member" } }),
  },
  "app/api/app/invitations/[id]/route.ts": {
    credentials: APP,
    params: idParam((f) => [f.own.invitation, f.foreign.invitation]),
  },
  "app/api/app/members/route.ts": { credentials: APP },
  "app/api/app/members/[id]/route.ts": {
    credentials: APP,
    params: idParam((f) => [f.foreign.member]),
    sample: () => ({ PATCH: { role: "viewer" } }),
  },
  // A served deletion request would only be pending (nothing here processes it); the sample asks for an export.
  "app/api/app/data-requests/route.ts": { credentials: APP, sample: () => ({ POST: { kind: "export" } }) },
  "app/api/app/data-requests/[id]/route.ts": {
    credentials: APP,
    params: idParam((f) => [f.own.dataRequest, f.foreign.dataRequest]),
  },
  "app/api/app/data-requests/[id]/download/route.ts": {
    credentials: APP,
    params: idParam((f) => [f.own.dataRequest, f.foreign.dataRequest]),
  },
  "app/api/app/pipeline/route.ts": {
    credentials: APP,
    queryKeys: ["stage", "assignee", "deadline_from", "deadline_to", "q", "limit", "cursor"],
    sample: () => ({ POST: { notice_id: "hostile-notice", stage: "watching" } }),
  },
  "app/api/app/pipeline/[id]/route.ts": {
    credentials: APP,
    params: () => ({ id: fc.oneof(segment, fc.uuid()) }),
    sample: () => ({ PATCH: { stage: "bidding", assignee_id: null } }),
  },
  "app/api/app/pipeline/[id]/notes/route.ts": {
    credentials: APP,
    params: () => ({ id: fc.oneof(segment, fc.uuid()) }),
    sample: () => ({ POST: { body: "A note" } }),
  },
  "app/api/app/pipeline/export/route.ts": {
    credentials: APP,
    queryKeys: ["stage", "assignee", "deadline_from", "deadline_to", "q"],
  },
  "app/api/app/pipeline/settings/route.ts": { credentials: APP, sample: () => ({ PUT: { reminder_days: 4 } }) },
  "app/api/app/calendar-feed/route.ts": { credentials: APP },
  "app/api/app/channels/route.ts": {
    credentials: APP,
    sample: () => ({ POST: { kind: "webhook", name: "Capture team", url: "https://hooks.hostile.test/new" } }),
  },
  // Another org's channel and random ids only: a served test post to A's own channel would leave the machine.
  "app/api/app/channels/[id]/route.ts": {
    credentials: APP,
    params: idParam((f) => [f.foreign.channel]),
    sample: () => ({ PATCH: { name: "Renamed", enabled: false } }),
  },
  "app/api/app/channels/[id]/test/route.ts": { credentials: APP, params: idParam((f) => [f.foreign.channel]) },
  "app/api/app/opportunities/not-relevant/route.ts": { credentials: APP },
  "app/api/app/opportunities/[noticeId]/not-relevant/route.ts": {
    credentials: APP,
    params: () => ({ noticeId: segment }),
  },
  "app/api/calendar/[feed]/route.ts": {
    credentials: ["none", "ownerA"],
    params: () => ({
      feed: fc.oneof(
        segment,
        segment.map((s) => `bcal_${s}.ics`),
      ),
    }),
  },
  "app/api/app/naics/route.ts": { credentials: APP, queryKeys: ["q", "limit"] },
  // The link's token is the credential: forged ones (random, other alerts' ids, a bad MAC) must 404.
  "app/api/unsubscribe/[token]/route.ts": {
    credentials: ["none", "ownerA"],
    params: (f) => ({
      token: fc.oneof(
        segment,
        fc.constantFrom(`u1.${f.orgA}.${f.own.alert}.AAAA`, `u1.${f.orgB}.${f.foreign.alert}.${"A".repeat(43)}`),
        segment.map((s) => `u1.${f.orgA}.${f.own.alert}.${s}`),
      ),
    }),
    sample: () => ({ POST: { "List-Unsubscribe": "One-Click" } }),
  },
  // "What changed" e-mails: the same kind of link, bound to a user; forged ones must 404.
  "app/api/unsubscribe/changes/[token]/route.ts": {
    credentials: ["none", "ownerA"],
    params: (f) => ({
      token: fc.oneof(
        segment,
        fc.constantFrom(`c1.${f.own.member}.AAAA`, `c1.${f.foreign.member}.${"A".repeat(43)}`),
        segment.map((s) => `c1.${f.own.member}.${s}`),
      ),
    }),
    sample: () => ({ POST: { "List-Unsubscribe": "One-Click" } }),
  },

  "app/api/admin/audit-log/route.ts": {
    credentials: ADMIN,
    queryKeys: ["org", "actor", "action", "q", "limit", "cursor"],
  },
  "app/api/admin/config/route.ts": { credentials: ADMIN },
  "app/api/admin/stats/route.ts": { credentials: ADMIN },
  "app/api/admin/customers/route.ts": { credentials: ADMIN, queryKeys: ["q", "segment", "limit", "cursor"] },
  "app/api/admin/customers/[id]/timeline/route.ts": {
    credentials: ADMIN,
    params: adminIds,
    queryKeys: ["kind", "limit", "cursor"],
  },
  "app/api/admin/exports/accounting.csv/route.ts": { credentials: ADMIN, queryKeys: ["from", "to"] },
  "app/api/admin/break-glass/route.ts": {
    credentials: ADMIN,
    sample: () => ({ POST: { reason: "replaying after the failover", ttl_minutes: 15 } }),
  },
  "app/api/admin/break-glass/[id]/route.ts": { credentials: ADMIN, params: adminIds },
  "app/api/admin/flags/route.ts": { credentials: ADMIN },
  // Not incident_mode: a sweep that turned the cockpit read-only would only test the read-only answer.
  "app/api/admin/flags/[key]/route.ts": {
    credentials: ADMIN,
    params: () => ({
      key: fc.oneof(segment, fc.constantFrom("instant_alerts", "opportunity_ingestion", "__proto__", "constructor")),
    }),
    sample: () => ({ PUT: { enabled: true, reason: "sweep" } }),
  },
  "app/api/admin/job-functions/route.ts": { credentials: ADMIN },
  "app/api/admin/outbox-circuits/route.ts": { credentials: ADMIN, queryKeys: ["all"] },
  "app/api/admin/outbox-circuits/retry/route.ts": {
    credentials: ADMIN,
    sample: () => ({ POST: { destination: "smtp", reason: "SMTP is back" } }),
  },
  "app/api/admin/job-functions/[id]/pause/route.ts": {
    credentials: ADMIN,
    params: () => ({ id: fc.oneof(segment, fc.constantFrom("retention", "heartbeat", "__proto__")) }),
    sample: () => ({ POST: { reason: "sweep" } }),
  },
  "app/api/admin/job-functions/[id]/resume/route.ts": {
    credentials: ADMIN,
    params: () => ({ id: fc.oneof(segment, fc.constantFrom("retention", "heartbeat", "__proto__")) }),
    sample: () => ({ POST: { reason: "sweep" } }),
  },
  "app/api/admin/job-runs/[id]/cancel/route.ts": {
    credentials: ADMIN,
    params: adminIds,
    sample: () => ({ POST: { reason: "sweep" } }),
  },
  "app/api/admin/job-runs/rerun/route.ts": {
    credentials: ADMIN,
    queryKeys: ["function", "status", "org", "from", "to", "q"],
    sample: () => ({
      POST: { filter: { function: "instant-alerts", status: "failed" }, label: "after the outage", confirm: 1 },
    }),
  },
  "app/api/admin/customers/[id]/route.ts": {
    credentials: ADMIN,
    params: adminIds,
    sample: () => ({ DELETE: { confirm_name: "Not the name" } }),
  },
  "app/api/admin/customers/[id]/export/route.ts": { credentials: ADMIN, params: adminIds },
  "app/api/admin/customers/[id]/actions/[action]/route.ts": {
    credentials: ADMIN,
    params: (f) => ({
      id: anyId(f.orgA, f.orgB),
      action: fc.oneof(
        fc.constantFrom(
          "grant-credits",
          "mute-alerts",
          "unmute-alerts",
          "reset-stuck",
          "activate",
          "retry-data-request",
        ),
        segment,
      ),
    }),
    sample: () => ({ POST: { credits: 5, reason: "goodwill" } }),
  },
  "app/api/admin/dead-letters/route.ts": {
    credentials: ADMIN,
    queryKeys: ["status", "kind", "org", "q", "from", "to", "limit", "cursor"],
  },
  "app/api/admin/dead-letters/[id]/route.ts": { credentials: ADMIN, params: adminIds },
  "app/api/admin/dead-letters/[id]/replay/route.ts": { credentials: ADMIN, params: adminIds },
  "app/api/admin/dead-letters/replay/route.ts": {
    credentials: ADMIN,
    sample: () => ({ POST: { ids: ["00000000-0000-4000-8000-000000000000"] } }),
  },
  "app/api/admin/job-runs/route.ts": {
    credentials: ADMIN,
    queryKeys: ["function", "status", "org", "from", "to", "q", "limit", "cursor"],
  },
  "app/api/admin/job-runs/[id]/route.ts": { credentials: ADMIN, params: adminIds },
  "app/api/admin/job-runs/[id]/rerun/route.ts": { credentials: ADMIN, params: adminIds },
  "app/api/admin/operators/[id]/reset-totp/route.ts": { credentials: ADMIN, params: adminIds },
  "app/api/admin/stripe-events/route.ts": {
    credentials: ADMIN,
    queryKeys: ["status", "type", "org", "id", "limit", "cursor"],
  },
  "app/api/admin/stripe-events/[id]/reprocess/route.ts": {
    credentials: ADMIN,
    params: () => ({ id: fc.oneof(segment, fc.constantFrom("evt_unknown_1", "evt_" + "A".repeat(200))) }),
  },
};

/** Every route file under app/api, relative to the repo root, sorted. */
export function routeFiles(root: string): string[] {
  const dir = path.join(root, "app/api");
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => path.posix.join("app/api", file.split(path.sep).join("/")))
    .sort();
}

/** `app/api/v1/alerts/[id]/route.ts` → `/api/v1/alerts/{id}`: the path template an endpoint declares. */
export function routeTemplate(file: string): string {
  return file
    .replace(/^app/, "")
    .replace(/\/route\.ts$/, "")
    .replace(/\[(\w+)\]/g, "{$1}");
}

/** `app/api/v1/alerts/[id]/route.ts` + params → `/api/v1/alerts/<id>` (segments URL-encoded). */
export function urlPathFor(file: string, params: Record<string, string | string[]>): string {
  const segments = file
    .replace(/^app/, "")
    .replace(/\/route\.ts$/, "")
    .split("/")
    .filter(Boolean);
  const out = segments.map((s) => {
    const catchAll = /^\[\.\.\.(\w+)\]$/.exec(s);
    if (catchAll)
      return ([] as string[])
        .concat(params[catchAll[1]!] ?? [])
        .map(encodeURIComponent)
        .join("/");
    const dynamic = /^\[(\w+)\]$/.exec(s);
    if (dynamic) return encodeURIComponent(String(params[dynamic[1]!] ?? ""));
    return s;
  });
  return `/${out.join("/")}`;
}

/** The names of a route file's dynamic segments. */
export function paramNames(file: string): string[] {
  return [...file.matchAll(/\[(?:\.\.\.)?(\w+)\]/g)].map((m) => m[1]!);
}
