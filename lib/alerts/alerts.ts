import { and, asc, count, desc, eq, isNotNull, ne } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { alerts, memberships, organizations, users } from "@/db/schema";
import { isUuid } from "@/db/tenant";
import type { CustomerActor, OrgContext } from "@/lib/context";
import { entitlementsFor, planById, type Entitlements } from "@/lib/plans";
import { channelIdsOfAlerts, setAlertChannels } from "@/lib/channels";
import { AppError, validate } from "@/lib/http";
import { assertCan, lockOrganization } from "@/lib/orgs";
import { applyPlanToAlerts } from "./plan-allowance";
import type { AlertPauseReason } from "./rules";
import {
  createAlertSchema,
  updateAlertSchema,
  type AlertFrequency,
  type CreateAlertRequest,
  type UpdateAlertRequest,
} from "./schemas";

export type AlertRow = typeof alerts.$inferSelect;
/** An alert as its API and pages show it: with the ids of the channels it posts to. */
export type AlertWithChannels = AlertRow & { channelIds: string[] };

/** Who acts on an org's alerts: a signed-in member (role-checked) or one of the org's API keys. */
export type AlertAuthor = CustomerActor;

/** The context alerts are changed and read in: an org, and a member or API key acting in it. */
export type AlertContext = OrgContext<AlertAuthor>;

/** The public shape (API.md `Alert`). */
export interface ApiAlert {
  id: string;
  name: string;
  frequency: AlertFrequency;
  q: string | null;
  naics: string[];
  states: string[];
  set_asides: string[];
  /** Ranks the matches (best fit first) without narrowing them. */
  prefer: { q: string | null; states: string[]; set_asides: string[] };
  /** How many matches a digest e-mail lists, best fit first; it links to the rest. */
  digest_limit: number;
  /** Daily and weekly: a window without matches still e-mails "we read N new notices, none matched". */
  nothing_new_email: boolean;
  delivery_email: string;
  /** The member's own switch: false = paused by a member. */
  active: boolean;
  /**
   * Set while the plan holds an active alert (no digests; cleared by itself on upgrade or
   * reactivation), or `unsubscribed` (with `active: false`) after the e-mail's unsubscribe link.
   */
  paused_reason: AlertPauseReason | null;
  /** The org's channels (Slack, Teams, signed webhook) its matches are also posted to. */
  channel_ids: string[];
  created_at: string;
  last_window_end: string | null;
}

export interface AlertUsage {
  /** Alerts running: paused ones (by a member or held by the plan) do not count against the plan. */
  used: number;
  max: number;
  plan: string;
  /** Active alerts the plan holds (over its limit): they resume by themselves on upgrade. */
  held: number;
}

export function toApiAlert(row: AlertRow & { channelIds?: string[] }): ApiAlert {
  return {
    id: row.id,
    name: row.name,
    frequency: row.frequency,
    q: row.q,
    naics: row.naics,
    states: row.states,
    set_asides: row.setAsides,
    prefer: { q: row.preferQ, states: row.preferStates, set_asides: row.preferSetAsides },
    digest_limit: row.digestLimit,
    nothing_new_email: row.nothingNewEmail,
    delivery_email: row.deliveryEmail,
    active: row.active,
    paused_reason: row.pausedReason,
    channel_ids: row.channelIds ?? [],
    created_at: row.createdAt.toISOString(),
    last_window_end: row.lastWindowEnd?.toISOString() ?? null,
  };
}

function authorize(by: AlertAuthor, action: "alerts:read" | "alerts:manage") {
  // An API key acts for its whole org (API.md); members are held to their role.
  if (by.kind === "member") assertCan(by, action);
}

const notFound = () => new AppError("not_found", "No such alert.");

/**
 * Locks the org row so that concurrent creates (or resumes) count active alerts one after the
 * other: without the lock two requests could both see "0 of 1" and both insert. Every change to
 * an org's alerts takes it first (then the alerts), the same order as billing's plan changes.
 */
async function lockPlan(tx: Tx, orgId: string): Promise<{ name: string; allowance: Entitlements }> {
  const org = await lockOrganization(tx, orgId);
  const allowance = entitlementsFor({ plan: org.plan });
  return { name: planById(allowance.effectivePlan).name, allowance };
}

/** Refuses an alert the plan cannot run: an instant one on a plan without them, or one past the limit. */
async function assertPlanCovers(
  tx: Tx,
  orgId: string,
  plan: { name: string; allowance: Entitlements },
  frequency: AlertFrequency,
  exceptAlertId?: string,
) {
  const { allowance } = plan;
  if (frequency === "instant" && !allowance.instantAlerts) {
    throw new AppError(
      "forbidden",
      `Your plan (${plan.name}) does not include instant alerts. Choose daily or weekly, or upgrade your plan.`,
    );
  }
  // Held alerts count: the plan's oldest alerts run first, so a new one would be held at once.
  const [row] = await tx
    .select({ n: count() })
    .from(alerts)
    .where(
      and(
        eq(alerts.orgId, orgId),
        eq(alerts.active, true),
        allowance.instantAlerts ? undefined : ne(alerts.frequency, "instant"),
        exceptAlertId ? ne(alerts.id, exceptAlertId) : undefined,
      ),
    );
  const used = Number(row?.n ?? 0);
  if (used >= allowance.maxAlerts) {
    const allowed = `${allowance.maxAlerts.toLocaleString("en-US")} active alert${allowance.maxAlerts === 1 ? "" : "s"}`;
    throw new AppError(
      "forbidden",
      `Your plan (${plan.name}) allows ${allowed}. Pause or delete one, or upgrade your plan.`,
      {
        alert_limit: allowance.maxAlerts,
        alerts_active: used,
      },
    );
  }
}

/** Where digests go when the request names no address: the member's own, or (API keys) the org owner's. */
async function defaultDeliveryEmail(tx: Tx, orgId: string, by: AlertAuthor): Promise<string> {
  const rows =
    by.kind === "member"
      ? await tx.select({ email: users.email }).from(users).where(eq(users.id, by.userId)).limit(1)
      : await tx
          .select({ email: users.email })
          .from(memberships)
          .innerJoin(users, eq(users.id, memberships.userId))
          .where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner")))
          .orderBy(asc(memberships.createdAt))
          .limit(1);
  const email = rows[0]?.email;
  if (!email) {
    throw new AppError("validation_failed", "Say where to send the alert.", {
      errors: [{ path: "delivery_email", message: "No default address is known; enter one." }],
    });
  }
  return email.toLowerCase();
}

/**
 * Saves an alert within the plan's limit. It starts its first window now: an alert never
 * e-mails the back catalogue (onboarding and the search page show current matches instead).
 */
export async function createAlert(ctx: AlertContext, request: CreateAlertRequest): Promise<AlertWithChannels> {
  const { orgId, actor: by } = ctx;
  authorize(by, "alerts:manage");
  // Validated here too: not every caller comes through a route (onboarding does not).
  const input = validate(createAlertSchema, request);
  const now = ctx.now();
  return ctx.transaction(async (tx) => {
    const plan = await lockPlan(tx, orgId);
    await assertPlanCovers(tx, orgId, plan, input.frequency);
    const deliveryEmail = input.delivery_email ?? (await defaultDeliveryEmail(tx, orgId, by));
    const [row] = await tx
      .insert(alerts)
      .values({
        orgId,
        createdBy: by.kind === "member" ? by.userId : null,
        name: input.name,
        frequency: input.frequency,
        q: input.q,
        naics: input.naics,
        states: input.states,
        setAsides: input.set_asides,
        preferQ: input.prefer.q,
        preferStates: input.prefer.states,
        preferSetAsides: input.prefer.set_asides,
        digestLimit: input.digest_limit,
        nothingNewEmail: input.nothing_new_email,
        deliveryEmail,
        active: true,
        lastWindowEnd: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const channelIds = await setAlertChannels(tx, orgId, row!.id, input.channel_ids ?? []);
    await applyPlanToAlerts(tx, orgId, now);
    return { ...row!, channelIds };
  });
}

async function withChannelIds(tx: Tx, orgId: string, rows: AlertRow[]): Promise<AlertWithChannels[]> {
  const byAlert = await channelIdsOfAlerts(
    tx,
    orgId,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({ ...row, channelIds: byAlert.get(row.id) ?? [] }));
}

export async function listAlerts(ctx: AlertContext): Promise<AlertWithChannels[]> {
  const { orgId } = ctx;
  authorize(ctx.actor, "alerts:read");
  return ctx.transaction(async (tx) =>
    withChannelIds(
      tx,
      orgId,
      await tx.select().from(alerts).where(eq(alerts.orgId, orgId)).orderBy(desc(alerts.createdAt), desc(alerts.id)),
    ),
  );
}

export async function getAlert(ctx: AlertContext, alertId: string): Promise<AlertWithChannels> {
  const { orgId } = ctx;
  authorize(ctx.actor, "alerts:read");
  if (!isUuid(alertId)) throw notFound();
  const [row] = await ctx.transaction(async (tx) =>
    withChannelIds(
      tx,
      orgId,
      await tx
        .select()
        .from(alerts)
        .where(and(eq(alerts.orgId, orgId), eq(alerts.id, alertId))),
    ),
  );
  if (!row) throw notFound();
  return row;
}

/** "2 of 10 alerts", and how many the plan holds. */
export async function alertUsage(ctx: AlertContext): Promise<AlertUsage> {
  const { orgId } = ctx;
  authorize(ctx.actor, "alerts:read");
  return ctx.transaction(async (tx) => {
    const [org] = await tx.select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, orgId));
    if (!org) throw new AppError("not_found", "No such organisation.");
    const { effectivePlan, maxAlerts } = entitlementsFor({ plan: org.plan });
    const counts = await tx
      .select({ held: isNotNull(alerts.pausedReason), n: count() })
      .from(alerts)
      .where(and(eq(alerts.orgId, orgId), eq(alerts.active, true)))
      .groupBy(isNotNull(alerts.pausedReason));
    const n = (held: boolean) => Number(counts.find((c) => c.held === held)?.n ?? 0);
    return { used: n(false), max: maxAlerts, plan: planById(effectivePlan).name, held: n(true) };
  });
}

/** Deleting an alert the plan covered makes room: the oldest held one resumes in the same transaction. */
export async function deleteAlert(ctx: AlertContext, alertId: string): Promise<void> {
  const { orgId } = ctx;
  authorize(ctx.actor, "alerts:manage");
  if (!isUuid(alertId)) throw notFound();
  const now = ctx.now();
  await ctx.transaction(async (tx) => {
    await lockPlan(tx, orgId);
    const rows = await tx
      .delete(alerts)
      .where(and(eq(alerts.orgId, orgId), eq(alerts.id, alertId)))
      .returning({ id: alerts.id });
    if (rows.length === 0) throw notFound();
    await applyPlanToAlerts(tx, orgId, now);
  });
}

/**
 * Renames, re-filters, pauses or resumes an alert. Filter changes apply from the window in
 * progress. Resuming counts against the plan again and starts a fresh window, so a paused
 * alert never e-mails what arrived while it was paused; pausing one the plan covered lets the
 * oldest held alert run instead.
 */
export async function updateAlert(
  ctx: AlertContext,
  alertId: string,
  request: UpdateAlertRequest,
): Promise<AlertWithChannels> {
  const { orgId } = ctx;
  authorize(ctx.actor, "alerts:manage");
  if (!isUuid(alertId)) throw notFound();
  const patch = validate(updateAlertSchema, request);
  const now = ctx.now();
  return ctx.transaction(async (tx) => {
    // Org first, then the alert: the same lock order as createAlert and billing, so they never deadlock.
    const plan = await lockPlan(tx, orgId);
    const [current] = await tx
      .select()
      .from(alerts)
      .where(and(eq(alerts.orgId, orgId), eq(alerts.id, alertId)))
      .for("update");
    if (!current) throw notFound();
    const resuming = patch.active === true && !current.active;
    const frequency = patch.frequency ?? current.frequency;
    const becomesInstant = frequency === "instant" && current.frequency !== "instant";
    if (resuming) await assertPlanCovers(tx, orgId, plan, frequency, alertId);
    else if (becomesInstant && (patch.active ?? current.active) && !plan.allowance.instantAlerts)
      await assertPlanCovers(tx, orgId, plan, frequency, alertId);
    await tx
      .update(alerts)
      .set({
        name: patch.name,
        frequency: patch.frequency,
        q: patch.q,
        naics: patch.naics,
        states: patch.states,
        setAsides: patch.set_asides,
        preferQ: patch.prefer ? patch.prefer.q : undefined,
        preferStates: patch.prefer?.states,
        preferSetAsides: patch.prefer?.set_asides,
        digestLimit: patch.digest_limit,
        nothingNewEmail: patch.nothing_new_email,
        deliveryEmail: patch.delivery_email,
        active: patch.active,
        lastWindowEnd: resuming ? now : undefined,
        updatedAt: now,
      })
      .where(and(eq(alerts.orgId, orgId), eq(alerts.id, alertId)));
    if (patch.channel_ids !== undefined) await setAlertChannels(tx, orgId, alertId, patch.channel_ids);
    await applyPlanToAlerts(tx, orgId, now);
    const [row] = await withChannelIds(tx, orgId, await tx.select().from(alerts).where(eq(alerts.id, alertId)));
    return row!;
  });
}
