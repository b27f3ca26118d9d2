import { ActionButton } from "@/components/forms/action-button";
import { Badge } from "@/components/ui";
import { maskEmailsIn } from "@/lib/format";
import type { OutboxCircuit } from "@/lib/outbox";
import { retryCircuitAction } from "./circuit-actions";
import { formatDateTime } from "@/lib/format";

const at = (d: Date | null) => formatDateTime(d, { seconds: true });

/**
 * Destinations whose circuit breaker is open (deliveries there wait, attempts untouched) or
 * probing, and closed ones that are counting failures. Nothing to show: nothing rendered.
 */
export function CircuitsPanel({
  circuits,
  canRetry,
  showPii,
}: {
  circuits: OutboxCircuit[];
  canRetry: boolean;
  showPii: boolean;
}) {
  if (circuits.length === 0) return null;
  return (
    <section
      id="circuits"
      aria-labelledby="circuits-heading"
      className="mb-6 rounded-lg bg-white p-4 ring-1 ring-slate-200"
    >
      <h2 id="circuits-heading" className="text-base font-semibold text-slate-900">
        Paused destinations
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        A destination that keeps failing is paused: its messages wait, keeping their attempts, and one probe is sent
        when the wait ends.
      </p>
      <div className="relative mt-3 overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="text-slate-600">
            <tr>
              <th scope="col" className="py-2 pr-3 font-medium">
                Destination
              </th>
              <th scope="col" className="py-2 pr-3 font-medium">
                State
              </th>
              <th scope="col" className="py-2 pr-3 font-medium">
                Since
              </th>
              <th scope="col" className="py-2 pr-3 font-medium">
                Until
              </th>
              <th scope="col" className="py-2 pr-3 font-medium">
                Failures
              </th>
              <th scope="col" className="py-2 pr-3 font-medium">
                Last error
              </th>
              {canRetry ? (
                <th scope="col" className="py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {circuits.map((c) => (
              <tr key={c.destination} className="border-t border-slate-100 align-top" data-testid="circuit-row">
                <td className="py-2 pr-3 font-mono text-xs text-slate-800">{c.destination}</td>
                <td className="py-2 pr-3">
                  <Badge tone={c.state === "open" ? "danger" : c.state === "half_open" ? "warning" : "neutral"}>
                    {c.state.replace("_", "-")}
                  </Badge>
                </td>
                <td className="py-2 pr-3 text-slate-700">{at(c.openedAt)}</td>
                <td className="py-2 pr-3 text-slate-700">
                  {c.state === "open" ? at(c.openUntil) : c.state === "half_open" ? "probing" : "—"}
                </td>
                <td className="py-2 pr-3 text-slate-700">{c.consecutiveFailures}</td>
                <td className="max-w-md break-words py-2 pr-3 text-red-800">
                  {c.lastError ? (showPii ? c.lastError : maskEmailsIn(c.lastError)) : "—"}
                </td>
                {canRetry ? (
                  <td className="py-2">
                    {c.state !== "closed" ? (
                      <ActionButton
                        action={retryCircuitAction}
                        fields={{ destination: c.destination }}
                        variant="secondary"
                      >
                        Retry now
                      </ActionButton>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
