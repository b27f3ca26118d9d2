import type { Tx } from "@/db/client";
import { isUuid, tenantStatement, withTenant, type TransactionConfig } from "@/db/tenant";
import { AppError } from "@/lib/http";
import { currentRequestId } from "@/lib/observability";
import { deliverOutboxNow, enqueueEvents } from "@/lib/outbox";
import type { Actor } from "./rules";
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

/** The context of `actor` in org `orgId`; an id that is not one (a forged cookie, a bad path) is 404. */
export function orgContext<A extends Actor>(orgId: string, actor: A, options: ContextOptions = {}): OrgContext<A> {
  if (!isUuid(orgId)) throw new AppError("not_found", "No such organisation.");
  return {
    ...serviceContext(actor, options),
    orgId,
    async transaction(fn, config) {
      const sent: string[] = [];
      const result = await withTenant(
        orgId,
        (tx) =>
          fn(tx, async (...events: BeaconEvent[]) => {
            const queued = await enqueueEvents(tx, events, { orgId });
            sent.push(...queued.filter((row) => row.created).map((row) => row.id));
          }),
        config,
      );
      if (sent.length > 0) await deliverOutboxNow(sent);
      return result;
    },
    statement<Row extends Record<string, unknown>>(text: string) {
      return tenantStatement<Row>(orgId, text);
    },
  };
}
