import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, isNull, lte, ne, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { withSystem } from "@/db/tenant";
import { outboxCircuits, outboxEvents } from "@/db/schema";
import { operatorAuditActor, recordAudit } from "@/lib/audit";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http";
import { logger } from "@/lib/observability";
import type { OperatorOutboxContext, OperatorWriteContext, OperatorWriteOptions } from "./dead-letters";

export type CircuitState = "closed" | "open" | "half_open";
export type OutboxCircuit = typeof outboxCircuits.$inferSelect;

const ERROR_MAX_CHARS = 300;

export interface CircuitPolicy {
  /** Consecutive failures that open a closed circuit. */
  failures: number;
  /** The first open period; each re-opening without a close in between doubles it… */
  openMs: number;
  /** …up to this. */
  openMaxMs: number;
}

export function circuitPolicy(): CircuitPolicy {
  const config = env();
  return {
    failures: config.OUTBOX_CIRCUIT_FAILURES,
    openMs: config.OUTBOX_CIRCUIT_OPEN_MS,
    openMaxMs: Math.max(config.OUTBOX_CIRCUIT_OPEN_MAX_MS, config.OUTBOX_CIRCUIT_OPEN_MS),
  };
}

/** How long the `trips`-th opening in a row waits before its probe. */
export function circuitOpenMs(trips: number, policy: CircuitPolicy = circuitPolicy()): number {
  return Math.min(policy.openMaxMs, policy.openMs * 2 ** Math.min(Math.max(trips - 1, 0), 30));
}

/**
 * Circuits are global and outbox rows belong to every org: each statement runs on its own as the
 * system role, as it ran on its own before. Not one transaction around a claim: that would hold
 * the granted circuit and the claimed rows locked, and the rows' new state unseen, until the
 * whole claim ends, so a second deliverer would wait or skip where it now does not.
 */
/**
 * An org's own channel (`channel:<id>`) is the org's to fix, not the platform's: its owners and
 * admins are e-mailed and it switches itself off. Operators' views count only the other
 * destinations (SMTP, Inngest, operators' webhooks) as faults.
 */
export const CUSTOMER_CHANNEL_DESTINATION = "channel:";
export const isCustomerChannelDestination = (destination: string) =>
  destination.startsWith(CUSTOMER_CHANNEL_DESTINATION);
export const isPlatformCircuit = () =>
  sql`${outboxCircuits.destination} not like ${`${CUSTOMER_CHANNEL_DESTINATION}%`}`;

export const asOutbox = <T>(fn: (tx: Tx) => Promise<T>) => withSystem("outbox", fn);

/** The circuits that are not closed, as a SQL list for the claim to skip. */
export const blockedDestinations = () =>
  db()
    .select({ destination: outboxCircuits.destination })
    .from(outboxCircuits)
    .where(ne(outboxCircuits.state, "closed"));

export interface ProbeGrant {
  destination: string;
  token: string;
}

/**
 * Hands this deliverer the probe of every circuit whose wait is over (open past `open_until`, or
 * half-open with a probe whose holder died) and that has a message due — among `ids` when given.
 * One conditional UPDATE: of two deliverers racing for a circuit, the second finds it already
 * half-open with a live probe and gets nothing.
 */
export async function grantProbes(
  tx: Tx,
  now: Date,
  leaseMs: number,
  dueCondition: ReturnType<typeof sql>,
): Promise<ProbeGrant[]> {
  const c = outboxCircuits;
  const token = randomUUID();
  const granted = await tx
    .update(c)
    .set({ state: "half_open", probeToken: token, probeUntil: new Date(now.getTime() + leaseMs), updatedAt: now })
    .where(
      and(
        or(
          and(eq(c.state, "open"), lte(c.openUntil, now)),
          and(eq(c.state, "half_open"), or(isNull(c.probeUntil), lte(c.probeUntil, now))),
        ),
        sql`exists (select 1 from ${outboxEvents} o where o.destination = ${c.destination} and ${dueCondition})`,
      ),
    )
    .returning({ destination: c.destination });
  for (const { destination } of granted) logger.info({ destination }, "outbox circuit half-open: one probe delivery");
  return granted.map(({ destination }) => ({ destination, token }));
}

/**
 * A probe that found nothing to send gives the circuit back, open and due for the next probe
 * (in `tx` when the claim that found nothing is still open).
 */
export async function returnProbe(grant: ProbeGrant, now: Date, tx?: Tx) {
  const c = outboxCircuits;
  const giveBack = (t: Tx) =>
    t
      .update(c)
      .set({ state: "open", openUntil: now, probeToken: null, probeUntil: null, updatedAt: now })
      .where(and(eq(c.destination, grant.destination), eq(c.state, "half_open"), eq(c.probeToken, grant.token)));
  await (tx ? giveBack(tx) : asOutbox(giveBack));
}

/**
 * Whether the circuit of `destination` needs a write on success (anything but closed with no
 * failures), asked by the claim for each row it takes (one statement, not one more).
 */
export function circuitNeedsResetSql(destination: AnyColumn): SQL<boolean> {
  const c = outboxCircuits;
  return sql<boolean>`exists (select 1 from ${c} where ${c.destination} = ${destination}
    and (${c.state} <> 'closed' or ${c.consecutiveFailures} > 0))`;
}

/** A delivery to `destination` succeeded: its circuit closes and its failure count starts again. */
export async function recordCircuitSuccess(destination: string, now: Date) {
  const c = outboxCircuits;
  const [closed] = await asOutbox((tx) =>
    tx
      .update(c)
      .set({
        state: "closed",
        consecutiveFailures: 0,
        trips: 0,
        openedAt: null,
        openUntil: null,
        probeToken: null,
        probeUntil: null,
        updatedAt: now,
      })
      .where(and(eq(c.destination, destination), or(ne(c.state, "closed"), sql`${c.consecutiveFailures} > 0`)))
      .returning({ destination: c.destination }),
  );
  if (closed) logger.info({ destination }, "outbox circuit closed: delivery succeeded");
}

/**
 * A delivery to `destination` failed because of the destination (not the message). Under a row
 * lock: a closed circuit counts it and opens at the threshold; a half-open one (its probe failed)
 * re-opens for twice as long as last time; an open one (a straggler claimed before it opened)
 * only counts it. Answers the state after, so the deliverer stops sending there when it is open.
 */
export async function recordCircuitFailure(
  destination: string,
  error: string,
  now: Date,
  policy: CircuitPolicy = circuitPolicy(),
): Promise<CircuitState> {
  const c = outboxCircuits;
  const lastError = error.slice(0, ERROR_MAX_CHARS);
  return asOutbox(async (tx) => {
    await tx.insert(c).values({ destination, updatedAt: now }).onConflictDoNothing();
    const [current] = await tx.select().from(c).where(eq(c.destination, destination)).for("update");
    const failures = current!.consecutiveFailures + 1;
    const state = current!.state as CircuitState;
    const common = { consecutiveFailures: failures, lastError, lastFailureAt: now, updatedAt: now };
    if ((state === "closed" && failures >= policy.failures) || state === "half_open") {
      const trips = current!.trips + 1;
      const openUntil = new Date(now.getTime() + circuitOpenMs(trips, policy));
      await tx
        .update(c)
        .set({
          ...common,
          state: "open",
          trips,
          openedAt: current!.openedAt ?? now,
          openUntil,
          probeToken: null,
          probeUntil: null,
        })
        .where(eq(c.destination, destination));
      logger.error(
        { destination, failures, trips, openUntil: openUntil.toISOString(), err: lastError },
        "outbox circuit open: deliveries to this destination wait",
      );
      return "open";
    }
    await tx.update(c).set(common).where(eq(c.destination, destination));
    return state;
  });
}

/** Circuits for the cockpit: not closed first (longest open first), then closed ones still counting failures. */
export async function listOutboxCircuits(
  _ctx: OperatorOutboxContext,
  options: { includeHealthy?: boolean } = {},
): Promise<OutboxCircuit[]> {
  const c = outboxCircuits;
  return asOutbox((tx) =>
    tx
      .select()
      .from(c)
      .where(options.includeHealthy ? undefined : or(ne(c.state, "closed"), sql`${c.consecutiveFailures} > 0`))
      .orderBy(sql`${c.state} = 'closed'`, asc(c.openedAt), desc(c.consecutiveFailures), asc(c.destination))
      .limit(200),
  );
}

/**
 * "Retry now": an operator makes a not-closed circuit half-open with no probe holder, so the next
 * delivery run sends one message there as its probe (its outcome closes or re-opens the circuit).
 * Audited in the same transaction.
 */
export async function retryOutboxCircuit(
  ctx: OperatorWriteContext,
  destination: string,
  options: OperatorWriteOptions = {},
): Promise<OutboxCircuit> {
  const c = outboxCircuits;
  const now = ctx.now();
  return asOutbox(async (tx) => {
    const [before] = await tx.select().from(c).where(eq(c.destination, destination)).for("update");
    if (!before) throw new AppError("not_found", "No circuit for this destination.");
    if (before.state === "closed") throw new AppError("conflict", "This circuit is already closed.");
    const [after] = await tx
      .update(c)
      .set({ state: "half_open", probeToken: null, probeUntil: null, updatedAt: now })
      .where(eq(c.destination, destination))
      .returning();
    await recordAudit(tx, {
      actor: operatorAuditActor(ctx.actor),
      action: "outbox.circuit_retry",
      target: { type: "outbox_circuit", id: destination },
      before: {
        state: before.state,
        consecutive_failures: before.consecutiveFailures,
        open_until: before.openUntil?.toISOString() ?? null,
      },
      after: { state: "half_open" },
      reason: options.reason ?? null,
      requestId: ctx.requestId,
      at: now,
    });
    return after!;
  });
}
