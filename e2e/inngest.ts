import { createHmac, randomUUID } from "node:crypto";
import { expect, type APIRequestContext } from "@playwright/test";

/**
 * Runs one of the app's Inngest functions through /api/inngest the way Inngest's executor does
 * (no Inngest server runs in e2e): a signed POST per step, each carrying the memoised results of
 * the steps before it, until the function answers 200 with its result. The run is recorded by
 * the app's own middleware like any scheduled run.
 */

/** RFC 8785 (JCS) for the plain JSON sent here: the SDK verifies the signature over this form. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Inngest's request signature: HMAC-SHA256 of body + timestamp, keyed by the key without its `signkey-<env>-` prefix. */
function inngestSignature(body: string, signingKey: string, now = Date.now()) {
  const ts = String(Math.floor(now / 1000));
  const key = signingKey.replace(/^signkey-\w+-/, "");
  return `t=${ts}&s=${createHmac("sha256", key)
    .update(body + ts)
    .digest("hex")}`;
}

interface StepOp {
  id: string;
  op: string;
  data?: unknown;
  error?: unknown;
}

export interface InngestTrigger {
  name: string;
  data: Record<string, unknown>;
}

/** A cron trigger as Inngest sends it. */
export function cronTrigger(cron: string): InngestTrigger {
  return { name: "inngest/scheduled.timer", data: { cron } };
}

/** Returns the run id (as job_runs records it) and the function's output. */
export async function runInngestFunction(
  request: APIRequestContext,
  functionId: string,
  trigger: InngestTrigger,
  /** When the trigger happened (`event.ts`, what scheduled functions take as "now"); default: now. */
  options: { at?: Date } = {},
): Promise<{ runId: string; output: unknown }> {
  const signingKey = process.env.E2E_INNGEST_SIGNING_KEY!;
  const event = { ...trigger, id: randomUUID(), ts: (options.at ?? new Date()).getTime() };
  const runId = `01E2E${randomUUID().replace(/-/g, "").slice(0, 21).toUpperCase()}`;
  const steps: Record<string, { type: "data"; data: unknown }> = {};
  const order: string[] = [];
  // A function with n steps needs n + 1 requests; a handful is plenty for Beacon's functions.
  for (let request_ = 0; request_ < 10; request_++) {
    const body = canonicalJson({
      event,
      events: [event],
      steps,
      ctx: {
        run_id: runId,
        attempt: 0,
        disable_immediate_execution: false,
        use_api: false,
        stack: { stack: order, current: order.length },
      },
      version: 2,
    });
    const response = await request.post(`/api/inngest?fnId=${encodeURIComponent(`beacon-${functionId}`)}&stepId=step`, {
      data: body,
      headers: { "content-type": "application/json", "x-inngest-signature": inngestSignature(body, signingKey) },
    });
    if (response.status() === 200) return { runId, output: await response.json() };
    expect(response.status(), `${functionId}: ${await response.text()}`).toBe(206);
    const ops = (await response.json()) as StepOp[];
    for (const op of ops) {
      expect(op.op, `${functionId}: step ${op.id} did not run (${JSON.stringify(op.error ?? null)})`).toBe("StepRun");
      steps[op.id] = { type: "data", data: op.data ?? null };
      order.push(op.id);
    }
  }
  throw new Error(`${functionId} did not finish within 10 requests`);
}
