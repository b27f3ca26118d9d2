import { SIGN_IN_EMAIL_KINDS, type OutboxCircuit, type OutboxRow } from "@/lib/outbox";
import { maskEmailsIn } from "@/lib/format";

/** A dead letter as operators see it; ops_viewer gets e-mail addresses masked everywhere. */
export function presentOutboxRow(row: OutboxRow, showPii: boolean) {
  const mask = (text: string) => (showPii ? text : maskEmailsIn(text));
  const { sealed, ...stored } = row.payload as Record<string, unknown>;
  const payload = JSON.parse(mask(JSON.stringify(stored))) as Record<string, unknown>;
  // Webhook URLs can carry credentials in their path (Slack): never shown.
  if (row.kind === "webhook" && typeof payload.url === "string") payload.url = `${new URL(payload.url).origin}/…`;
  return {
    id: row.id,
    org_id: row.orgId,
    kind: row.kind,
    dedupe_key: mask(row.dedupeKey),
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.nextAttemptAt.toISOString(),
    last_error: row.lastError ? mask(row.lastError) : null,
    created_at: row.createdAt.toISOString(),
    dead_at: row.deadAt?.toISOString() ?? null,
    delivered_at: row.deliveredAt?.toISOString() ?? null,
    /** It carries a sign-in link, sealed: the body shows `{{link}}` where the recipient gets the link. */
    sensitive: sealed !== undefined || (row.kind === "email" && SIGN_IN_EMAIL_KINDS.includes(String(stored.kind))),
    payload,
  };
}

/** An outbox circuit as operators see it (its last error masked like a dead letter's). */
export function presentOutboxCircuit(circuit: OutboxCircuit, showPii: boolean) {
  return {
    destination: circuit.destination,
    state: circuit.state,
    consecutive_failures: circuit.consecutiveFailures,
    trips: circuit.trips,
    opened_at: circuit.openedAt?.toISOString() ?? null,
    open_until: circuit.openUntil?.toISOString() ?? null,
    probe_until: circuit.probeUntil?.toISOString() ?? null,
    last_error: circuit.lastError ? (showPii ? circuit.lastError : maskEmailsIn(circuit.lastError)) : null,
    last_failure_at: circuit.lastFailureAt?.toISOString() ?? null,
    updated_at: circuit.updatedAt.toISOString(),
  };
}
