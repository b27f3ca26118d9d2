import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { withSystem } from "@/db/tenant";
import { featureFlags } from "@/db/schema";
import { operatorAuditActor, recordAudit } from "@/lib/audit";
import type { OperatorActor, ServiceContext } from "@/lib/context";
import { FLAG_DEFINITIONS, FLAG_KEYS, type FlagKey } from "./definitions";

export interface FlagState {
  key: FlagKey;
  description: string;
  enabled: boolean;
  default: boolean;
  /** False while no operator has set it: `enabled` is the default. */
  overridden: boolean;
  reason: string | null;
  updatedAt: Date | null;
  updatedBy: string | null;
}

/** How long hot paths may use values read earlier in this process. */
export const FLAG_CACHE_MS = 5_000;

let cache: { states: Map<FlagKey, FlagState>; loadedAt: number } | undefined;

/** Drops the in-process cache (setFlag does it for its own process; tests call it between cases). */
export function resetFlagCache() {
  cache = undefined;
}

async function readFlags(dbOrTx?: DbOrTx): Promise<Map<FlagKey, FlagState>> {
  // Global settings, in a table no tenant sees: read as the system role.
  const rows = dbOrTx
    ? await dbOrTx.select().from(featureFlags)
    : await withSystem("flags", (tx) => tx.select().from(featureFlags));
  const byKey = new Map(rows.map((row) => [row.key, row]));
  return new Map(
    FLAG_KEYS.map((key) => {
      const row = byKey.get(key);
      const definition = FLAG_DEFINITIONS[key];
      return [
        key,
        {
          key,
          description: definition.description,
          default: definition.default,
          enabled: row ? row.enabled : definition.default,
          overridden: Boolean(row),
          reason: row?.reason ?? null,
          updatedAt: row?.updatedAt ?? null,
          updatedBy: row?.updatedBy ?? null,
        },
      ];
    }),
  );
}

/**
 * Every flag's current state. Hot paths use the default `maxAgeMs` (one query per process every
 * few seconds at most); pass 0 to read through, as the cockpit and the write guard do.
 */
export async function listFlags(options: { maxAgeMs?: number; now?: number } = {}): Promise<FlagState[]> {
  const maxAgeMs = options.maxAgeMs ?? FLAG_CACHE_MS;
  const now = options.now ?? Date.now();
  // A clock that went backwards (or a caller's own `now`) counts as stale, never as fresh.
  if (!cache || maxAgeMs <= 0 || now < cache.loadedAt || now - cache.loadedAt >= maxAgeMs)
    cache = { states: await readFlags(), loadedAt: now };
  return [...cache.states.values()];
}

export async function flagState(key: FlagKey, options: { maxAgeMs?: number; now?: number } = {}): Promise<FlagState> {
  const states = await listFlags(options);
  return states.find((state) => state.key === key)!;
}

export async function flagEnabled(key: FlagKey, options: { maxAgeMs?: number; now?: number } = {}): Promise<boolean> {
  return (await flagState(key, options)).enabled;
}

export const setFlagSchema = z.object({ enabled: z.boolean(), reason: z.string().trim().max(500).optional() }).strict();

export type SetFlagInput = z.infer<typeof setFlagSchema>;

/** Sets a flag for the context's operator and records who, when, why and the value before, in one transaction. */
export async function setFlag(
  ctx: ServiceContext<OperatorActor>,
  key: FlagKey,
  input: SetFlagInput,
): Promise<FlagState> {
  const actor = operatorAuditActor(ctx.actor);
  const { requestId } = ctx;
  const now = ctx.now();
  const reason = input.reason || null;
  await withSystem("flags", async (tx) => {
    const before = (await readFlags(tx)).get(key)!;
    await tx
      .insert(featureFlags)
      .values({ key, enabled: input.enabled, reason, updatedAt: now, updatedBy: actor.email ?? actor.id ?? null })
      .onConflictDoUpdate({
        target: featureFlags.key,
        set: { enabled: input.enabled, reason, updatedAt: now, updatedBy: actor.email ?? actor.id ?? null },
      });
    await recordAudit(tx, {
      actor,
      action: "ops.flag.updated",
      target: { type: "feature_flag", id: key },
      before: { enabled: before.enabled, overridden: before.overridden },
      after: { enabled: input.enabled },
      reason,
      requestId,
      at: now,
    });
  });
  resetFlagCache();
  return flagState(key, { maxAgeMs: 0 });
}
