import { randomUUID } from "node:crypto";
import { Middleware, type InngestFunction } from "inngest";
import { env, isProduction } from "@/lib/env";
import { logger } from "@/lib/observability";
import { cronFiresAt } from "./cron";
import { runFunctionLocally, type LocalRunOptions } from "./local-runner";
import { SCHEDULED_EVENT_NAME } from "./runs";

/**
 * Development without an Inngest server (`npm run dev`, no inngest-cli): the same function
 * definitions run in this process. Crons fire on their schedules (`tick`), events sent through
 * the Inngest client reach the functions they trigger (`dispatch`, via the LocalEventDispatch
 * middleware), and every run goes through runFunctionLocally — steps, retries and the
 * run-tracking middleware — recorded in job_runs with trigger `local`.
 *
 * What Inngest would enforce is kept as far as one process can: one run at a time per function
 * and concurrency key (up to the function's limit), a cron tick is skipped while the function's
 * previous tick is still queued or running, an event id or an `idempotency` key seen in the last
 * 24 hours is not run again. Production refuses it: there, Inngest runs the functions.
 */
export interface LocalExecutorOptions {
  functions: readonly InngestFunction.Any[];
  /** The clock crons are read from (tests pass their own). */
  now?: () => Date;
  retryDelayMs?: LocalRunOptions["retryDelayMs"];
}

type SentEvent = { name: string; id?: string; data?: Record<string, unknown> };
export type RunEvent = { name: string; id: string; data: Record<string, unknown> };
type Trigger = { cron?: string; event?: string | { name: string } } | undefined;
type Concurrency = { limit: number; key?: string };

const DEDUPE_WINDOW_MS = 24 * 60 * 60_000;
/** After a long pause (a laptop asleep) one firing per schedule, not one per missed minute. */
const MAX_MINUTES_SCANNED = 24 * 60;
const MINUTE = 60_000;

export class LocalExecutorRefusedError extends Error {
  constructor() {
    super(
      "The in-process executor is for development only: in production, background functions need Inngest (Cloud or self-hosted) reaching /api/inngest.",
    );
    this.name = "LocalExecutorRefusedError";
  }
}

function triggersOf(fn: InngestFunction.Any): Trigger[] {
  return (fn.opts.triggers ?? []) as readonly Trigger[] as Trigger[];
}

function cronsOf(fn: InngestFunction.Any): string[] {
  return triggersOf(fn).flatMap((t) => (t && typeof t.cron === "string" ? [t.cron] : []));
}

function listensTo(fn: InngestFunction.Any, name: string): boolean {
  return triggersOf(fn).some(
    (t) => t?.event !== undefined && (typeof t.event === "string" ? t.event : t.event.name) === name,
  );
}

function concurrencyOf(fn: InngestFunction.Any): Concurrency {
  const option = (fn.opts as { concurrency?: number | Concurrency | Concurrency[] }).concurrency;
  if (option === undefined) return { limit: Infinity };
  if (typeof option === "number") return { limit: option };
  // Several limits: the first one (Beacon's functions declare at most one).
  const first = Array.isArray(option) ? option[0] : option;
  return first ? { limit: first.limit > 0 ? first.limit : Infinity, key: first.key } : { limit: Infinity };
}

function valueAt(event: RunEvent, path: string): unknown {
  let value: unknown = event.data;
  for (const part of path.split("."))
    value = value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

const DATA_PATH = /^event\.data\.([\w.]+)$/;
const HAS_OR_ELSE = /^has\(event\.data\.([\w.]+)\)\s*\?\s*event\.data\.([\w.]+)\s*:\s*\((.*)\)$/;

/**
 * The CEL key expressions Beacon writes: `event.data.<path>` and the re-run form
 * `has(event.data.a) ? event.data.a : (<expression>)` (lib/jobs/idempotency). Null for anything
 * else: the caller decides what an unreadable key means.
 */
export function evaluateKey(expression: string | undefined, event: RunEvent): string | null {
  if (!expression) return null;
  const text = expression.trim();
  const path = DATA_PATH.exec(text);
  if (path) {
    const value = valueAt(event, path[1]!);
    return value === undefined || value === null ? "" : JSON.stringify(value);
  }
  const branch = HAS_OR_ELSE.exec(text);
  if (branch)
    return valueAt(event, branch[1]!) !== undefined
      ? evaluateKey(`event.data.${branch[2]}`, event)
      : evaluateKey(branch[3], event);
  return null;
}

interface Slot {
  running: number;
  waiting: (() => void)[];
}

export class LocalExecutor {
  private readonly functions: readonly InngestFunction.Any[];
  private readonly now: () => Date;
  private readonly retryDelayMs: LocalRunOptions["retryDelayMs"];
  private lastTickAt: Date;
  private readonly slots = new Map<string, Slot>();
  /** Functions whose last cron tick is still queued or running. */
  private readonly tickInFlight = new Set<string>();
  private readonly seen = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(options: LocalExecutorOptions) {
    if (isProduction(env())) throw new LocalExecutorRefusedError();
    this.functions = options.functions;
    this.now = options.now ?? (() => new Date());
    this.retryDelayMs = options.retryDelayMs;
    this.lastTickAt = this.now();
  }

  /**
   * Fires every cron due in the minutes since the last tick (one firing per function however
   * many minutes passed). Returns once the due runs are started; `idle()` waits for them.
   */
  tick(at: Date = this.now()) {
    const from = Math.floor(this.lastTickAt.getTime() / MINUTE) * MINUTE + MINUTE;
    const to = Math.floor(at.getTime() / MINUTE) * MINUTE;
    this.lastTickAt = at;
    const minutes: Date[] = [];
    for (let t = Math.max(from, to - (MAX_MINUTES_SCANNED - 1) * MINUTE); t <= to; t += MINUTE)
      minutes.push(new Date(t));
    for (const fn of this.functions) {
      const crons = cronsOf(fn);
      if (crons.length === 0 || !minutes.some((m) => crons.some((c) => cronFiresAt(c, m)))) continue;
      const id = fn.opts.id;
      if (this.tickInFlight.has(id)) {
        logger.info({ functionId: id }, "in-process executor: previous tick still running, this one is skipped");
        continue;
      }
      this.tickInFlight.add(id);
      this.schedule(fn, { name: SCHEDULED_EVENT_NAME, id: `local-cron-${id}-${to}`, data: { cron: crons[0] } }, () =>
        this.tickInFlight.delete(id),
      );
    }
  }

  /** Hands sent events to the functions they trigger (what Inngest's event API would do). Returns their ids. */
  dispatch(events: readonly SentEvent[]): string[] {
    return events.map((sent) => {
      const event: RunEvent = { name: sent.name, id: sent.id ?? `local-${randomUUID()}`, data: sent.data ?? {} };
      if (!this.firstSighting(`event:${event.id}`)) return event.id;
      for (const fn of this.functions) {
        if (!listensTo(fn, event.name)) continue;
        // A key this cannot read dedupes nothing: better a repeat in development than a lost run.
        const idempotencyKey = evaluateKey((fn.opts as { idempotency?: string }).idempotency, event);
        if (idempotencyKey !== null && !this.firstSighting(`idempotency:${fn.opts.id}:${idempotencyKey}`)) continue;
        this.schedule(fn, event);
      }
      return event.id;
    });
  }

  /** Resolves when every run started so far (and any it triggered) has finished. */
  async idle() {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Receives sent events from now on and, with `tickEveryMs`, ticks the crons on a timer. */
  start(options: { tickEveryMs?: number } = {}) {
    setActiveLocalExecutor(this);
    if (options.tickEveryMs) {
      this.timer = setInterval(() => this.tick(), options.tickEveryMs);
      this.timer.unref();
    }
    return this;
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (activeLocalExecutor() === this) setActiveLocalExecutor(null);
    await this.idle();
  }

  private firstSighting(key: string) {
    const now = this.now().getTime();
    for (const [k, at] of this.seen) if (now - at > DEDUPE_WINDOW_MS) this.seen.delete(k);
    if (this.seen.has(key)) return false;
    this.seen.set(key, now);
    return true;
  }

  private schedule(fn: InngestFunction.Any, event: RunEvent, done?: () => void) {
    const concurrency = concurrencyOf(fn);
    // A key this cannot read serialises the whole function: slower, never more than allowed.
    const slotKey = `${fn.opts.id}\u0000${evaluateKey(concurrency.key, event) ?? ""}`;
    const run = (async () => {
      const slot = await this.acquire(slotKey, concurrency.limit);
      try {
        await runFunctionLocally(fn, { event, trigger: "local", retryDelayMs: this.retryDelayMs });
      } catch (err) {
        logger.error(
          { err, functionId: fn.opts.id, event: event.name },
          "in-process executor: the run could not be driven",
        );
      } finally {
        this.release(slotKey, slot);
        done?.();
      }
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  private async acquire(key: string, limit: number): Promise<Slot> {
    let slot = this.slots.get(key);
    if (!slot) this.slots.set(key, (slot = { running: 0, waiting: [] }));
    if (slot.running < limit) slot.running += 1;
    // A full slot is handed over by the run that frees it (release), so none can jump the queue.
    else await new Promise<void>((resolve) => slot!.waiting.push(resolve));
    return slot;
  }

  private release(key: string, slot: Slot) {
    const next = slot.waiting.shift();
    if (next) return next();
    slot.running -= 1;
    if (slot.running === 0) this.slots.delete(key);
  }
}

// On globalThis: Next bundles instrumentation and route handlers separately, each with its own
// copy of this module, and they must all hand their events to the one executor.
const globalForExecutor = globalThis as unknown as { __beaconLocalExecutor?: LocalExecutor | null };

export function activeLocalExecutor(): LocalExecutor | null {
  return globalForExecutor.__beaconLocalExecutor ?? null;
}

function setActiveLocalExecutor(executor: LocalExecutor | null) {
  globalForExecutor.__beaconLocalExecutor = executor;
}

/**
 * Client middleware: while an in-process executor runs, events sent with `inngest.send` or
 * `step.sendEvent` go to it instead of an Inngest event API; otherwise they pass through.
 */
export class LocalEventDispatch extends Middleware.BaseMiddleware {
  readonly id = "beacon-local-event-dispatch";

  override async wrapSendEvent({ events, next }: Middleware.WrapSendEventArgs) {
    const executor = activeLocalExecutor();
    if (!executor) return next();
    return { ids: executor.dispatch(events as unknown as SentEvent[]) };
  }
}
