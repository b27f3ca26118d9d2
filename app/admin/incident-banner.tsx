import Link from "next/link";
import { ActionButton } from "@/components/forms/action-button";
import { Alert } from "@/components/ui";
import type { BreakGlassSession, IncidentState } from "@/lib/ops";
import { endBreakGlassAction } from "./ops/incident-actions";
import { formatDateTime } from "@/lib/format";

/** Shown on every cockpit page while it is read-only, or while this operator is under break-glass. */
export function IncidentBanner({
  incident,
  breakGlass,
}: {
  incident: IncidentState;
  breakGlass: BreakGlassSession | null;
}) {
  if (breakGlass) {
    return (
      <Alert
        tone="error"
        className="mb-6"
        title={`Break-glass active until ${formatDateTime(breakGlass.expiresAt)}`}
        action={
          <ActionButton action={endBreakGlassAction} fields={{ id: breakGlass.id }} variant="danger">
            End break-glass
          </ActionButton>
        }
      >
        <p>
          Your writes are allowed{incident.readOnly ? " despite incident mode" : ""} and each is audited under this
          session. Reason: {breakGlass.reason}
        </p>
      </Alert>
    );
  }
  if (!incident.readOnly) return null;
  const detail =
    incident.source === "env"
      ? "ADMIN_READ_ONLY=true is set in the environment; it can only be lifted by a redeploy."
      : `Incident mode on${incident.since ? ` since ${formatDateTime(incident.since)}` : ""}${incident.by ? ` by ${incident.by}` : ""}${incident.reason ? `: ${incident.reason}` : "."}`;
  return (
    <Alert tone="warning" className="mb-6" title="Read-only: cockpit writes are disabled">
      <p>{detail}</p>
      <p>
        An ops_admin can start a time-limited break-glass session on{" "}
        <Link href="/admin/ops/flags" className="font-medium underline">
          Flags &amp; incident
        </Link>
        .
      </p>
    </Alert>
  );
}
