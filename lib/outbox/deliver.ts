import { and, asc, eq, getTableColumns, inArray, lte, ne, notInArray, or, sql, type SQL } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { sqlLiteral, sqlTextLiteral, systemStatement } from "@/db/tenant";
import { outboxEvents } from "@/db/schema";
import { env } from "@/lib/env";
import { markEmailAttempts, transmitEmail, type EmailTransport } from "@/lib/mail";
import { logger } from "@/lib/observability";
import { outboxBackoffMs } from "./backoff";
import {
  asOutbox,
  blockedDestinations,
  circuitNeedsResetSql,
  grantProbes,
  recordCircuitFailure,
  recordCircuitSuccess,
  returnProbe,
  type ProbeGrant,
} from "./circuits";
import {
  channelTransport,
  isPermanentDeliveryError,
  PermanentDeliveryError,
  type ChannelRow,
  type ChannelTarget,
} from "./channel-transport";
import { eventSender, type EventSender } from "./event-sender";
import {
  channelPayloadSchema,
  eventPayloadSchema,
  storedEmailPayloadSchema,
  webhookPayloadSchema,
  type OutboxStatus,
} from "./payloads";
import { fillPlaceholders, openSealedSecrets } from "./sealed-links";
import { postJson, WebhookStatusError } from "./post-json";
import { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from "./signature";

/**
 * How long a claimed row belongs to its deliverer. Longer than the slowest attempt (SMTP waits at
 * most 10 + 10 + 20 s, a webhook 10 s); a deliverer that dies mid-send loses the row when it ends.
 */
export const OUTBOX_LEASE_MS = 2 * 60_000;
export const OUTBOX_DEFAULT_BATCH = 100;
/** Sends in flight per deliverer (each `deliverDueOutbox` call). */
export const OUTBOX_DELIVERY_CONCURRENCY = 4;
const SETTLE_CHUNK = 25;
const ERROR_MAX_CHARS = 500;

export interface DeliverOptions {
  now?: Date;
  /** Rows claimed at most. */
  limit?: number;
  /** Named in the logs, so operators can tell which worker held a row. */
  workerId?: string;
  /** The backoff draw in [0, 1); injectable for tests. */
  random?: () => number;
}

export interface OutboxDeliveryResult {
  id: string;
  status: OutboxStatus;
  attempts: number;
  error: string | null;
  /** Put back unattempted: the destination's circuit is open. */
  deferred?: true;
}

export interface OutboxDeliverySummary {
  claimed: number;
  delivered: number;
  retrying: number;
  dead: number;
  /** Claimed, then put back unattempted (attempt not counted): their destination's circuit opened meanwhile. */
  deferred: number;
  results: OutboxDeliveryResult[];
}

const EMPTY_SUMMARY: OutboxDeliverySummary = {
  claimed: 0,
  delivered: 0,
  retrying: 0,
  dead: 0,
  deferred: 0,
  results: [],
};

type ClaimedRow = typeof outboxEvents.$inferSelect;

interface Claimed {
  rows: ClaimedRow[];
  /** Rows sent as their half-open circuit's single probe. */
  probes: Map<string, ProbeGrant>;
  /** Destinations whose circuit needs a write on success (`circuitNeedsResetSql`). */
  needsReset: Set<string>;
}

/** Due: pending, or sending with an expired lease, and its time has come. For raw SQL on alias `o`. */
const dueSql = (now: Date, ids?: string[]) =>
  sql`(o.status = 'pending' or (o.status = 'sending' and o.lease_until <= ${now.toISOString()}::timestamptz)) and o.next_attempt_at <= ${now.toISOString()}::timestamptz${
    eventSender() ? sql`` : sql` and o.kind <> 'event'`
  }${channelTransport() ? sql`` : sql` and o.kind <> 'channel'`}${
    ids
      ? sql` and o.id in (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`
      : sql``
  }`;

/**
 * One statement claims the rows: a `FOR UPDATE SKIP LOCKED` sub-select picks due ones (pending,
 * or sending with an expired lease) that no one else is claiming, and the UPDATE takes them with
 * a lease. Two deliverers at once therefore never get the same row. The attempt is counted here,
 * at the claim, so a row that crashes its deliverer every time still ends up dead.
 */
async function claimRows(
  tx: Tx,
  now: Date,
  limit: number,
  where: SQL | undefined,
): Promise<(ClaimedRow & { needsReset: boolean })[]> {
  const o = outboxEvents;
  // A process that cannot send events (or channel posts) leaves them, unattempted, to one that can.
  const sendable = and(
    eventSender() ? undefined : ne(o.kind, "event"),
    channelTransport() ? undefined : ne(o.kind, "channel"),
  );
  const due = db()
    .select({ id: o.id })
    .from(o)
    .where(
      and(
        or(eq(o.status, "pending"), and(eq(o.status, "sending"), lte(o.leaseUntil, now))),
        lte(o.nextAttemptAt, now),
        sendable,
        where,
      ),
    )
    .orderBy(asc(o.nextAttemptAt), asc(o.id))
    .limit(limit)
    .for("update", { skipLocked: true });
  return (
    tx
      .update(o)
      .set({
        status: "sending",
        attempts: sql`${o.attempts} + 1`,
        leaseUntil: new Date(now.getTime() + OUTBOX_LEASE_MS),
        updatedAt: now,
      })
      // `= any(array(…))`, not `in (…)`: the array is computed once. As a role under row-level
      // security the planner may run an `in` sub-select again for every row the UPDATE scans,
      // and each run skips the rows this statement already took, so LIMIT would no longer hold.
      .where(sql`${o.id} = any(array(${due}))`)
      .returning({ ...getTableColumns(o), needsReset: circuitNeedsResetSql(o.destination) })
  );
}

/**
 * Rows of destinations whose circuit is not closed are not claimed (so they keep their attempts
 * while they wait), except one per circuit whose wait is over: its probe, claimed first. One
 * transaction for the probes, the claim and the circuits' state: a hand-over right after a
 * commit (`deliverOutboxNow`) costs one round of statements, not one transaction each; or none,
 * made in the transaction that wrote the rows (`claimOutboxIn`).
 */
async function claimDueRowsIn(tx: Tx, now: Date, limit: number, ids?: string[]): Promise<Claimed> {
  const o = outboxEvents;
  const probes = new Map<string, ProbeGrant>();
  const rows: ClaimedRow[] = [];
  const needsReset = new Set<string>();
  const take = (claimed: (ClaimedRow & { needsReset: boolean })[]) => {
    for (const { needsReset: reset, ...row } of claimed) {
      rows.push(row);
      if (reset) needsReset.add(row.destination);
    }
  };
  for (const grant of await grantProbes(tx, now, OUTBOX_LEASE_MS, dueSql(now, ids))) {
    const [probe] =
      rows.length < limit
        ? await claimRows(tx, now, 1, and(eq(o.destination, grant.destination), ids ? inArray(o.id, ids) : undefined))
        : [];
    if (!probe) {
      await returnProbe(grant, now, tx);
      continue;
    }
    take([probe]);
    probes.set(probe.id, grant);
  }
  if (rows.length < limit)
    take(
      await claimRows(
        tx,
        now,
        limit - rows.length,
        and(notInArray(o.destination, blockedDestinations()), ids ? inArray(o.id, ids) : undefined),
      ),
    );
  return { rows, probes, needsReset };
}

/** A webhook receiver answered, with a status other than 2xx. */
/** Statuses about this one request (its body), not the receiver: they do not count toward its circuit. */
const WEBHOOK_MESSAGE_STATUSES = new Set([400, 413, 415, 422]);

/** Secrets that a transport error might echo back (a URL with a token, SMTP credentials). */
function secretsOf(row: ClaimedRow): string[] {
  const config = env();
  const secrets: string[] = [];
  if (config.SMTP_URL) {
    secrets.push(config.SMTP_URL);
    try {
      const password = decodeURIComponent(new URL(config.SMTP_URL).password);
      if (password) secrets.push(password);
    } catch {
      // Not a parseable URL: the whole value is already listed.
    }
  }
  if (config.OUTBOX_WEBHOOK_SECRET) secrets.push(config.OUTBOX_WEBHOOK_SECRET);
  if (row.kind === "webhook") {
    const payload = row.payload as { url?: unknown; headers?: Record<string, unknown> };
    if (typeof payload.url === "string") secrets.push(payload.url);
    for (const value of Object.values(payload.headers ?? {}))
      if (typeof value === "string" && value.length >= 8) secrets.push(value);
  }
  return secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

function describeFailure(error: unknown, secrets: string[]): string {
  let message = error instanceof Error ? error.message : String(error);
  // fetch hides the reason ("fetch failed") in `cause`.
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message && !message.includes(cause.message))
    message = `${message}: ${cause.message}`;
  for (const secret of secrets) message = message.split(secret).join("<redacted>");
  return message.slice(0, ERROR_MAX_CHARS);
}

async function postWebhook(row: ClaimedRow, now: Date) {
  const parsed = webhookPayloadSchema.safeParse(row.payload);
  if (!parsed.success) throw new PermanentDeliveryError("webhook payload is invalid");
  const body = JSON.stringify(parsed.data.body);
  const headers: Record<string, string> = {};
  // The payload's own headers (an Authorization for the receiver, say) never override ours.
  for (const [name, value] of Object.entries(parsed.data.headers ?? {})) headers[name.toLowerCase()] = value;
  Object.assign(headers, {
    "content-type": "application/json",
    "user-agent": "Beacon-Outbox/1",
    "beacon-event-id": row.id,
  });
  const secret = env().OUTBOX_WEBHOOK_SECRET;
  if (secret) headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()] = signWebhookBody(secret, body, now);
  await postJson(parsed.data.url, headers, body);
}

function channelRowOf(row: ClaimedRow): ChannelRow {
  const parsed = channelPayloadSchema.safeParse(row.payload);
  if (!parsed.success) throw new PermanentDeliveryError("channel payload is invalid");
  return { id: row.id, orgId: row.orgId, payload: parsed.data };
}

/**
 * A post to an org's channel: its URL (and signing secret) are opened from the channel row by
 * lib/channels just before sending, and `target.secrets` lists them so no error keeps them.
 */
async function postToChannel(row: ClaimedRow, now: Date, opened: { target?: ChannelTarget }) {
  const transport = channelTransport();
  if (!transport) throw new Error("this process cannot send channel posts");
  const target = await transport.resolve(channelRowOf(row), now);
  opened.target = target;
  await postJson(
    target.url,
    {
      ...target.headers,
      "content-type": "application/json",
      "user-agent": "Beacon-Outbox/1",
      "beacon-event-id": row.id,
    },
    target.body,
    { lookup: target.lookup },
  );
}

/**
 * Events go to the registered sender (Inngest) in ONE call for all of them, as its event API
 * takes a list: one request where each event took one. Their ids let Inngest drop a repeat. The
 * call succeeds or fails as a whole, so each row's outcome is the call's (an invalid payload fails
 * alone, before it).
 */
async function sendEventRows(rows: readonly ClaimedRow[]): Promise<AttemptOutcome[]> {
  const outcomes: AttemptOutcome[] = [];
  const valid: { row: ClaimedRow; event: Parameters<EventSender>[0][number] }[] = [];
  for (const row of rows) {
    const parsed = eventPayloadSchema.safeParse(row.payload);
    if (parsed.success)
      valid.push({ row, event: { name: parsed.data.name, id: parsed.data.id ?? row.id, data: parsed.data.data } });
    else outcomes.push(failureOutcome(row, new PermanentDeliveryError("event payload is invalid")));
  }
  if (valid.length === 0) return outcomes;
  try {
    const send = eventSender();
    if (!send) throw new Error("this process has no event sender");
    await send(valid.map(({ event }) => event));
    for (const { row } of valid) outcomes.push(successOutcome(row, null));
  } catch (error) {
    // One request failed, not one per event: only the first row's failure counts toward the
    // destination's circuit, as one event sent alone would.
    valid.forEach(({ row }, i) => {
      const failed = failureOutcome(row, error);
      outcomes.push(i === 0 ? failed : { ...failed, destinationFault: false });
    });
  }
  return outcomes;
}

function openSeal(sealed: string | undefined) {
  if (sealed === undefined) return null;
  try {
    return openSealedSecrets(sealed);
  } catch {
    throw new PermanentDeliveryError(
      "the e-mail's sealed link cannot be opened (AUTH_SECRET changed since it was queued?)",
    );
  }
}

/** The e-mail is put together here, at send time: the only moment its sealed links are in the clear. */
async function sendEmailRow(row: ClaimedRow): Promise<EmailTransport> {
  const parsed = storedEmailPayloadSchema.safeParse(row.payload);
  if (!parsed.success) throw new PermanentDeliveryError("e-mail payload is invalid");
  const { sealed, ...email } = parsed.data;
  const secrets = openSeal(sealed) ?? {};
  const html = email.html === undefined ? undefined : fillPlaceholders(email.html, secrets, true);
  return transmitEmail(
    row.id,
    {
      ...email,
      text: fillPlaceholders(email.text, secrets, true),
      html,
      unsubscribe: email.unsubscribe === undefined ? undefined : fillPlaceholders(email.unsubscribe, secrets, true),
      orgId: row.orgId,
    },
    fillPlaceholders(email.text, secrets, false),
  );
}

interface AttemptOutcome {
  row: ClaimedRow;
  transport: EmailTransport | null;
  failure: string | null;
  permanent: boolean;
  /** The destination failed (unreachable, timed out, refused us), not this one message: counts toward its circuit. */
  destinationFault: boolean;
  /** Not attempted: handed back with its attempt uncounted. */
  released: boolean;
}

/**
 * The destination answered and refused this message (a recipient the SMTP server does not take,
 * content it rejects, a body the webhook receiver calls malformed): the message's problem, not
 * the destination's, so it does not count toward the circuit. A dead webhook URL (404, 410), a
 * refused credential (401, 403), throttling (429) and 5xx do count.
 */
function isMessageRejection(error: unknown) {
  if (error instanceof WebhookStatusError) return WEBHOOK_MESSAGE_STATUSES.has(error.status);
  const { code, command } = error as { code?: unknown; command?: unknown };
  return code === "EMESSAGE" || (code === "EENVELOPE" && command === "RCPT TO");
}

function successOutcome(row: ClaimedRow, transport: EmailTransport | null): AttemptOutcome {
  return { row, transport, failure: null, permanent: false, destinationFault: false, released: false };
}

function failureOutcome(row: ClaimedRow, error: unknown, moreSecrets: readonly string[] = []): AttemptOutcome {
  const permanent = isPermanentDeliveryError(error);
  const secrets = [...secretsOf(row), ...moreSecrets].sort((a, b) => b.length - a.length);
  return {
    row,
    transport: null,
    failure: describeFailure(error, secrets),
    permanent,
    destinationFault: !permanent && !isMessageRejection(error),
    released: false,
  };
}

/** One e-mail, post to a team channel or webhook (events go together: `sendEventRows`). */
async function attempt(row: ClaimedRow, now: Date): Promise<AttemptOutcome> {
  const opened: { target?: ChannelTarget } = {};
  let outcome: AttemptOutcome;
  try {
    const transport =
      row.kind === "email"
        ? await sendEmailRow(row)
        : row.kind === "channel"
          ? (await postToChannel(row, now, opened), null)
          : (await postWebhook(row, now), null);
    outcome = successOutcome(row, transport);
  } catch (error) {
    outcome = failureOutcome(row, error, opened.target?.secrets);
  }
  if (row.kind === "channel") await recordChannelOutcome(outcome, now);
  return outcome;
}

/** The channel counts its own successes and failures (lib/channels); a failure to record never fails the delivery. */
async function recordChannelOutcome(outcome: AttemptOutcome, now: Date) {
  const transport = channelTransport();
  const parsed = channelPayloadSchema.safeParse(outcome.row.payload);
  if (!transport || !parsed.success) return;
  try {
    await transport.recordOutcome({
      row: { id: outcome.row.id, orgId: outcome.row.orgId, payload: parsed.data },
      delivered: outcome.failure === null,
      permanent: outcome.permanent,
      error: outcome.failure,
      at: now,
    });
  } catch (error) {
    logger.warn({ err: error, outboxId: outcome.row.id }, "channel delivery outcome could not be recorded");
  }
}

/**
 * What one delivery run knows about circuits: destinations it must not send to any more (their
 * circuit opened while it worked), and which circuits a success has to reset.
 */
class CircuitGate {
  private readonly blocked = new Set<string>();
  private readonly failedHere = new Set<string>();

  constructor(
    private readonly probes: Map<string, ProbeGrant>,
    private readonly needsReset: Set<string>,
    private readonly now: Date,
  ) {}

  allows(row: ClaimedRow) {
    return this.probes.has(row.id) || !this.blocked.has(row.destination);
  }

  async record(outcome: AttemptOutcome) {
    const { row } = outcome;
    try {
      if (outcome.failure === null) {
        this.blocked.delete(row.destination);
        // Skipped when the circuit was closed and clean at the claim and nothing failed since here.
        if (this.probes.has(row.id) || this.needsReset.has(row.destination) || this.failedHere.has(row.destination)) {
          await recordCircuitSuccess(row.destination, this.now);
          this.needsReset.delete(row.destination);
          this.failedHere.delete(row.destination);
        }
      } else if (outcome.destinationFault) {
        this.failedHere.add(row.destination);
        if ((await recordCircuitFailure(row.destination, outcome.failure, this.now)) === "open")
          this.blocked.add(row.destination);
      } else if (this.probes.has(row.id)) {
        // The probe told nothing about the destination (this message was refused): probe again next run.
        await returnProbe(this.probes.get(row.id)!, this.now);
      }
    } catch (error) {
      // The delivery's own outcome still gets written; the circuit catches up on the next one.
      logger.warn({ err: error, destination: row.destination, outboxId: row.id }, "outbox circuit update failed");
    }
  }
}

/**
 * Writes a chunk of outcomes in one transaction of two statements (outbox rows, then their e-mail
 * records), each guarded by the lease the row was claimed with: if the lease ran out and another
 * deliverer took the row over, this outcome is not written.
 */
async function settle(outcomes: AttemptOutcome[], now: Date, options: DeliverOptions): Promise<OutboxDeliveryResult[]> {
  const maxAttempts = env().OUTBOX_MAX_ATTEMPTS;
  const decided = outcomes.map((outcome) => {
    const { row, failure, permanent, released } = outcome;
    const status: OutboxStatus = released
      ? "pending"
      : failure === null
        ? "delivered"
        : permanent || row.attempts >= maxAttempts
          ? "dead"
          : "pending";
    const nextAttemptAt =
      status === "pending" && !released
        ? new Date(now.getTime() + outboxBackoffMs(row.attempts, options.random))
        : null;
    return { ...outcome, status, nextAttemptAt };
  });
  const at = `${sqlLiteral(now.toISOString())}::timestamptz`;
  const values = decided.map(
    (d) =>
      `(${sqlLiteral(d.row.id)}::uuid, ${sqlLiteral(d.row.leaseUntil!.toISOString())}::timestamptz, ${sqlLiteral(d.status)}::text, ${d.nextAttemptAt ? `${sqlLiteral(d.nextAttemptAt.toISOString())}` : "null"}::timestamptz, ${sqlTextLiteral(d.failure)}::text, ${d.released})`,
  );
  // Literals only (no parameters): the same text runs in one round trip when nothing else is written.
  const outcomesWritten = `
      update outbox_events as o set
        status = v.status,
        lease_until = null,
        -- A released row was never attempted: its claim's attempt is taken back, its last error kept.
        attempts = case when v.released then o.attempts - 1 else o.attempts end,
        last_error = case when v.released then o.last_error else v.error end,
        next_attempt_at = coalesce(v.next_attempt_at, o.next_attempt_at),
        -- Sent: the sealed links are not needed any more, so nothing of them stays at rest.
        payload = case when v.status = 'delivered' then o.payload - 'sealed' else o.payload end,
        delivered_at = case when v.status = 'delivered' then ${at} else o.delivered_at end,
        dead_at = case when v.status = 'dead' then ${at} else o.dead_at end,
        updated_at = ${at}
      from (values ${values.join(", ")}) as v(id, lease_until, status, next_attempt_at, error, released)
      where o.id = v.id and o.status = 'sending' and o.lease_until = v.lease_until
      returning o.id`;
  const emailAttempts = (ids: Set<string>) =>
    decided
      .filter((d) => d.row.kind === "email" && !d.released && ids.has(d.row.id))
      .map((d) => ({
        id: d.row.id,
        outcome: d.transport ? { transport: d.transport, sentAt: now } : { error: d.failure ?? "unknown" },
      }));
  // Events only (the webhook's hand-over to Inngest): one statement, one round trip.
  const written = decided.every((d) => d.row.kind !== "email")
    ? new Set((await systemStatement<{ id: string }>("outbox", outcomesWritten)).map((r) => r.id))
    : await asOutbox(async (tx) => {
        const ids = new Set((await tx.execute<{ id: string }>(sql.raw(outcomesWritten))).rows.map((r) => r.id));
        await markEmailAttempts(tx, emailAttempts(ids));
        return ids;
      });

  return decided.map(({ row, status, failure, released }) => {
    const context = { outboxId: row.id, kind: row.kind, attempts: row.attempts, workerId: options.workerId };
    if (released)
      return {
        id: row.id,
        status: written.has(row.id) ? status : "sending",
        attempts: row.attempts - 1,
        error: null,
        deferred: true as const,
      };
    if (!written.has(row.id))
      logger.warn(context, "outbox lease expired during delivery; another deliverer owns the row");
    else if (status === "dead")
      logger.error({ ...context, err: failure }, "outbox event is dead after its last attempt");
    else if (status === "pending") logger.warn({ ...context, err: failure }, "outbox delivery failed; will retry");
    return { id: row.id, status: written.has(row.id) ? status : "sending", attempts: row.attempts, error: failure };
  });
}

/** claimDueRowsIn in a transaction of its own. */
async function claimDueRows(now: Date, limit: number, ids?: string[]): Promise<Claimed> {
  return asOutbox((tx) => claimDueRowsIn(tx, now, limit, ids));
}

async function deliverClaimed(
  { rows, probes, needsReset }: Claimed,
  now: Date,
  options: DeliverOptions,
): Promise<OutboxDeliverySummary> {
  const results: OutboxDeliveryResult[] = [];
  const gate = new CircuitGate(probes, needsReset, now);
  // Outcomes are written a chunk at a time: few statements, yet a crash re-sends at most a chunk.
  for (let start = 0; start < rows.length; start += SETTLE_CHUNK) {
    const chunk = rows.slice(start, start + SETTLE_CHUNK);
    const outcomes: AttemptOutcome[] = [];
    const released = (row: ClaimedRow): AttemptOutcome => ({
      row,
      transport: null,
      failure: null,
      permanent: false,
      destinationFault: false,
      released: true,
    });
    const sendEvents = async () => {
      const allowed: ClaimedRow[] = [];
      for (const row of chunk.filter((each) => each.kind === "event")) {
        if (gate.allows(row)) allowed.push(row);
        else outcomes.push(released(row));
      }
      for (const outcome of allowed.length > 0 ? await sendEventRows(allowed) : []) {
        await gate.record(outcome);
        outcomes.push(outcome);
      }
    };
    const others = chunk.filter((row) => row.kind !== "event");
    let next = 0;
    const worker = async () => {
      while (next < others.length) {
        const row = others[next++]!;
        if (!gate.allows(row)) {
          outcomes.push(released(row));
          continue;
        }
        const outcome = await attempt(row, now);
        await gate.record(outcome);
        outcomes.push(outcome);
      }
    };
    await Promise.all([
      sendEvents(),
      ...Array.from({ length: Math.min(OUTBOX_DELIVERY_CONCURRENCY, others.length) }, worker),
    ]);
    results.push(...(await settle(outcomes, now, options)));
  }
  return summaryOf(results);
}

/** The counts of a delivery run: one result per claimed row. */
function summaryOf(results: OutboxDeliveryResult[]): OutboxDeliverySummary {
  return {
    claimed: results.length,
    delivered: results.filter((r) => r.status === "delivered").length,
    retrying: results.filter((r) => r.status === "pending" && !r.deferred).length,
    dead: results.filter((r) => r.status === "dead").length,
    deferred: results.filter((r) => r.deferred).length,
    results,
  };
}

/**
 * The sweep: claims up to `limit` due rows with a lease and delivers them. Safe to run from any
 * number of workers at once. Wire it to a schedule (every minute) and to the enqueue event.
 */
export async function deliverDueOutbox(options: DeliverOptions = {}): Promise<OutboxDeliverySummary> {
  const now = options.now ?? new Date();
  const limit = Math.min(Math.max(options.limit ?? OUTBOX_DEFAULT_BATCH, 1), 1_000);
  return deliverClaimed(await claimDueRows(now, limit), now, options);
}

/**
 * Delivers these rows now if they are still due — called by the app right after the transaction
 * that enqueued them commits, so a link arrives while the user waits, with or without a worker
 * running. Never throws: the user's action already succeeded, and whatever is left (the database
 * blipped, the row was claimed elsewhere) is picked up by the sweep.
 */
export async function deliverOutboxNow(
  ids: readonly string[],
  options: Omit<DeliverOptions, "limit"> = {},
): Promise<OutboxDeliverySummary> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return { ...EMPTY_SUMMARY, results: [] };
  const now = options.now ?? new Date();
  return deliverNow(unique, now, options, () => claimDueRows(now, unique.length, unique));
}

/** Rows claimed in the transaction that wrote them (`claimOutboxIn`), to deliver once it commits. */
export interface OutboxClaim {
  readonly ids: readonly string[];
  readonly now: Date;
  readonly claimed: Claimed;
}

/**
 * deliverOutboxNow's claim, made inside the transaction that enqueued the rows (a busy writer: the
 * Stripe webhook's batches): no transaction of its own, so the hand-over after the commit is the
 * sends and one statement for their outcome. The rows commit already claimed, with a lease: should
 * this process stop before `deliverOutboxClaim`, the sweep takes them over once the lease runs out.
 */
export async function claimOutboxIn(
  tx: Tx,
  ids: readonly string[],
  // A millisecond on: the rows were stamped due at the transaction's start, to the microsecond,
  // which may be later than this millisecond's start.
  now = new Date(Date.now() + 1),
): Promise<OutboxClaim> {
  const unique = [...new Set(ids)];
  const claimed =
    unique.length === 0
      ? { rows: [], probes: new Map(), needsReset: new Set<string>() }
      : await claimDueRowsIn(tx, now, unique.length, unique);
  return { ids: unique, now, claimed };
}

/** Delivers what `claimOutboxIn` claimed, once its transaction committed. Never throws, as deliverOutboxNow. */
export async function deliverOutboxClaim(claim: OutboxClaim): Promise<OutboxDeliverySummary> {
  if (claim.claimed.rows.length === 0) return { ...EMPTY_SUMMARY, results: [] };
  return deliverNow(claim.ids, claim.now, {}, async () => claim.claimed);
}

async function deliverNow(
  ids: readonly string[],
  now: Date,
  options: Omit<DeliverOptions, "limit">,
  claim: () => Promise<Claimed>,
): Promise<OutboxDeliverySummary> {
  try {
    return await deliverClaimed(await claim(), now, options);
  } catch (error) {
    logger.error({ outboxIds: ids.slice(0, 20), err: error }, "immediate outbox delivery failed; the sweep will retry");
    return { ...EMPTY_SUMMARY, results: [] };
  }
}
