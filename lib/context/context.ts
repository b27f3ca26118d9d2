import type { Tx } from "@/db/client";
import { isUuid, systemStatement, tenantStatement, withSystem, withTenant, type TransactionConfig } from "@/db/tenant";
import { AppError } from "@/lib/http";
import { currentRequestId } from "@/lib/observability";
import { deliverOutboxNow, enqueueEvents } from "@/lib/outbox";
import type { Actor, SystemActor } from "./rules";
import type { BeaconEvent, SendEvents } from "./events";

/**
 * What every lib entry point is called with: who acts, the request it serves and the clock.
 * Each edge builds it with its one adapter ("One service context" in docs/architecture.md);
 * tests pass their own clock.
 */
export interface ServiceContext<A extends Actor = Actor> {
  readonly actor: A;
  /** The request or run being served, for audit rows and logs (null outside one). */
  readonly requestId: string | null;
  now(): Date;
}

/** A context inside one org: its id, checked once, and its tenant-scoped database. */
export interface OrgContext<A extends Actor = Actor> extends ServiceContext<A> {
  readonly orgId: string;
  /**
   * A transaction that sees only this org's rows (`app.org_id` and the `beacon_tenant` role, so
   * row-level security holds even where a query forgets its filter). Events given to `send` are
   * written in it and handed to the background functions once it commits.
   */
  transaction<T>(fn: (tx: Tx, send: SendEvents) => Promise<T>, config?: TransactionConfig): Promise<T>;
  /**
   * One statement for this org, scoped as `transaction` is, sent with its settings in ONE
   * message: one round trip to PostgreSQL instead of four (begin, settings, statement, commit).
   * For the writes every metered API call makes, where round trips cost more than the work and
   * a row the statement locks (the org's quota) is held until the commit, which here never waits
   * on the client. The text has no parameters: build it with `sqlLiteral` and `sqlTextLiteral`
   * (`db/tenant.ts`) only.
   */
  statement<Row extends Record<string, unknown>>(text: string): Promise<Row[]>;
}

/**
 * Beacon's own work across orgs (a background sweep, a Stripe event before its org is known, the
 * cockpit's lists): its transaction runs as `beacon_system` for the actor's reason, the one role
 * that sees every org's rows, and events sent in it leave after the commit as an org's do.
 */
export interface SystemContext extends ServiceContext<SystemActor> {
  transaction<T>(fn: (tx: Tx, send: SendEvents) => Promise<T>, config?: TransactionConfig): Promise<T>;
  /** `systemStatement`: one statement in one round trip (same rules as `OrgContext.statement`). */
  statement<Row extends Record<string, unknown>>(text: string): Promise<Row[]>;
}

export interface ContextOptions {
  requestId?: string | null;
  now?: () => Date;
}

export function serviceContext<A extends Actor>(actor: A, options: ContextOptions = {}): ServiceContext<A> {
  return {
    actor,
    requestId: options.requestId ?? currentRequestId() ?? null,
    now: options.now ?? (() => new Date()),
  };
}

/** The context of a system run (an Inngest step, a sweep, the CLI) for one reason of `SYSTEM_REASONS`. */
export function systemContext(actor: SystemActor, options: ContextOptions = {}): SystemContext {
  return {
    ...serviceContext(actor, options),
    transaction: (fn, config) => transactionWithEvents((run) => withSystem(actor.reason, run, config), undefined, fn),
    statement: (text) => systemStatement(actor.reason, text),
  };
}

/**
 * Beacon's own work for `reason`, done for the request `ctx` serves: the same request id and
 * clock, as the system (an operator's cockpit list, a member's export built at once, a Stripe
 * sync asked for by a page). The edge has checked what `ctx`'s actor may ask for first.
 */
export function asSystem(ctx: ServiceContext, reason: SystemActor["reason"]): SystemContext {
  return systemContext({ kind: "system", reason }, { requestId: ctx.requestId, now: () => ctx.now() });
}

/**
 * The same actor, request and clock inside one org: a sweep's step for one customer, an
 * operator's command on one customer. The org id is checked here (404).
 */
export function inOrg<A extends Actor>(ctx: ServiceContext<A>, orgId: string): OrgContext<A> {
  return orgContext(orgId, ctx.actor, { requestId: ctx.requestId, now: () => ctx.now() });
}

/** The context of `actor` in org `orgId`; an id that is not one (a forged cookie, a bad path) is 404. */
export function orgContext<A extends Actor>(orgId: string, actor: A, options: ContextOptions = {}): OrgContext<A> {
  if (!isUuid(orgId)) throw new AppError("not_found", "No such organisation.");
  return {
    ...serviceContext(actor, options),
    orgId,
    transaction: (fn, config) => transactionWithEvents((run) => withTenant(orgId, run, config), orgId, fn),
    statement<Row extends Record<string, unknown>>(text: string) {
      return tenantStatement<Row>(orgId, text);
    },
  };
}

/** Runs `fn` in `open`'s transaction with a `send` that writes to the outbox there and delivers after commit. */
async function transactionWithEvents<T>(
  open: (run: (tx: Tx) => Promise<T>) => Promise<T>,
  orgId: string | undefined,
  fn: (tx: Tx, send: SendEvents) => Promise<T>,
): Promise<T> {
  const sent: string[] = [];
  const result = await open((tx) =>
    fn(tx, async (...events: BeaconEvent[]) => {
      const queued = await enqueueEvents(tx, events, { orgId });
      sent.push(...queued.filter((row) => row.created).map((row) => row.id));
    }),
  );
  if (sent.length > 0) await deliverOutboxNow(sent);
  return result;
}
