"use client";

import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Alert, Badge, Button, Card, CardHeader, EmptyState } from "@/components/ui";
import type { ApiAlert } from "@/lib/alerts";
import { PAUSE_REASON_TEXT } from "@/lib/alerts/rules";
import { apiFetch } from "@/lib/client";
import { withProductQueries } from "@/components/data/product-queries";
import { alertsQuery } from "@/components/data/queries";
import dynamic from "next/dynamic";
import type { ChannelChoice, PickerChoices } from "./alert-form";
import { formatDateTime } from "@/lib/format";

// The form (and its pickers) loads after the page: viewers never need it, and members read their
// alerts first. It keeps the page within its first-load JavaScript budget.
const AlertForm = dynamic(() => import("./alert-form").then((m) => m.AlertForm), {
  ssr: false,
  loading: () => <p className="text-sm text-slate-600">Loading the new-alert form…</p>,
});

const FREQUENCY: Record<ApiAlert["frequency"], string> = { instant: "Instant", daily: "Daily", weekly: "Weekly" };

function Filters({ alert }: { alert: ApiAlert }) {
  const parts = [
    alert.q ? ["Keywords", `“${alert.q}”`] : null,
    alert.naics.length ? ["NAICS", alert.naics.join(", ")] : null,
    alert.states.length ? ["States", alert.states.join(", ")] : null,
    alert.set_asides.length ? ["Set-asides", alert.set_asides.join(", ")] : null,
  ].filter((p): p is string[] => p !== null);
  const { prefer } = alert;
  const first = [
    prefer.q ? `“${prefer.q}”` : null,
    prefer.states.length ? prefer.states.join(", ") : null,
    prefer.set_asides.length ? `set aside for ${prefer.set_asides.join(", ")}` : null,
  ].filter((p): p is string => p !== null);
  if (first.length) parts.push(["Best fit first", first.join(" · ")]);
  if (parts.length === 0) return <p className="text-sm text-slate-600">Every new opportunity</p>;
  return (
    <dl className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-700">
      {parts.map(([label, value]) => (
        <div key={label} className="min-w-0">
          <dt className="inline text-slate-600">{label}: </dt>
          <dd className="inline break-words">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The org's alerts come with the page (`seed` of alertsQuery, components/data/islands.tsx). */
export function AlertsManager({
  canManage,
  choices,
  channels = [],
  naicsTitles,
}: {
  canManage: boolean;
  choices: PickerChoices;
  /** The org's channels, when its plan has them. */
  channels?: ChannelChoice[];
  /** Titles of the NAICS codes the alerts name, for the edit form's chips. */
  naicsTitles: Readonly<Record<string, string>>;
}) {
  const channelName = new Map(channels.map((c) => [c.id, c.name]));
  const alerts = useQuery(alertsQuery);
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: alertsQuery.queryKey });
  const [announcement, setAnnouncement] = useState("");
  const [editingId, setEditingId] = useState<string | null>(null);

  const toggle = useMutation({
    mutationFn: (alert: ApiAlert) =>
      apiFetch<ApiAlert>(`/api/app/alerts/${alert.id}`, { method: "PATCH", body: { active: !alert.active } }),
    onSuccess: (alert) => setAnnouncement(`“${alert.name}” is ${alert.active ? "active again" : "paused"}.`),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (alert: ApiAlert) => apiFetch(`/api/app/alerts/${alert.id}`, { method: "DELETE" }).then(() => alert),
    onSuccess: (alert) => setAnnouncement(`Deleted “${alert.name}”.`),
    onSettled: refresh,
  });
  const failure = toggle.error ?? remove.error;

  if (alerts.isPending)
    return (
      <p className="text-slate-600" role="status">
        Loading your alerts…
      </p>
    );
  if (!alerts.data) return <Alert tone="error">{alerts.error.message}</Alert>;
  const { data: rows, usage } = alerts.data;
  const atLimit = usage.used >= usage.max;

  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-700" data-testid="alert-usage">
        <span className="font-semibold text-slate-900">
          {usage.used.toLocaleString("en-US")} of {usage.max.toLocaleString("en-US")}
        </span>{" "}
        active alerts on the {usage.plan} plan
        {usage.held > 0 ? (
          <span data-testid="alert-held">
            {" "}
            · {usage.held.toLocaleString("en-US")} paused: over your plan&apos;s limit. They resume by themselves when
            you{" "}
            <Link className="font-medium underline" href="/settings/billing">
              upgrade or reactivate your subscription
            </Link>
            .
          </span>
        ) : null}
      </p>
      {!canManage ? (
        <Alert tone="info">
          You can see this organisation’s alerts; members, admins and owners create and change them.
        </Alert>
      ) : null}
      {canManage ? (
        <AlertForm
          choices={choices}
          channels={channels}
          atLimit={atLimit}
          onSaved={(alert) => {
            setAnnouncement(`Saved “${alert.name}”.`);
            refresh();
          }}
        />
      ) : null}
      {failure ? <Alert tone="error">{failure.message}</Alert> : null}
      {alerts.error ? <Alert tone="error">Could not refresh the list: {alerts.error.message}</Alert> : null}
      <p role="status" className="sr-only">
        {announcement}
      </p>
      <Card>
        <CardHeader title="Your alerts" description={rows.length ? `${rows.length} saved` : undefined} />
        {rows.length === 0 ? (
          <EmptyState
            className="m-4 sm:m-6"
            as="h3"
            title="No alerts yet"
            description={
              canManage
                ? "Save a search above and Beacon will e-mail you the new opportunities that match it."
                : "Nobody in this organisation has saved an alert yet."
            }
          />
        ) : (
          <ul className="divide-y divide-slate-200">
            {rows.map((alert) => (
              <li key={alert.id} className="flex flex-wrap items-start gap-3 px-4 py-4 sm:px-6" data-testid="alert-row">
                {editingId === alert.id ? (
                  <div className="w-full">
                    <AlertForm
                      choices={choices}
                      channels={channels}
                      editing={{ alert, naicsTitles, onCancel: () => setEditingId(null) }}
                      onSaved={(saved) => {
                        setEditingId(null);
                        setAnnouncement(`Saved changes to “${saved.name}”.`);
                        refresh();
                      }}
                    />
                  </div>
                ) : (
                  <>
                    <div className="min-w-0 flex-1 space-y-1.5">
                      <div className="flex flex-wrap items-center gap-2">
                        <h3 className="font-medium break-words text-slate-900">{alert.name}</h3>
                        <Badge tone="indigo">{FREQUENCY[alert.frequency]}</Badge>
                        {!alert.active ? (
                          <Badge tone="neutral" data-testid={alert.paused_reason ? "alert-pause-reason" : undefined}>
                            {alert.paused_reason === "unsubscribed" ? PAUSE_REASON_TEXT.unsubscribed : "Paused"}
                          </Badge>
                        ) : alert.paused_reason ? (
                          <Badge tone="warning" data-testid="alert-pause-reason">
                            {PAUSE_REASON_TEXT[alert.paused_reason]}
                          </Badge>
                        ) : (
                          <Badge tone="success">Active</Badge>
                        )}
                      </div>
                      <Filters alert={alert} />
                      <p className="text-sm break-words text-slate-600">
                        To {alert.delivery_email}
                        {alert.nothing_new_email && alert.frequency !== "instant"
                          ? " · also when nothing is new"
                          : null}
                        {alert.last_window_end
                          ? ` · next digest: what is new since ${formatDateTime(alert.last_window_end)}`
                          : null}
                      </p>
                      {alert.channel_ids.length > 0 ? (
                        <p className="text-sm break-words text-slate-600" data-testid="alert-channels">
                          Also posts to {alert.channel_ids.map((id) => channelName.get(id) ?? "a channel").join(", ")}
                        </p>
                      ) : null}
                    </div>
                    {canManage ? (
                      <div className="flex shrink-0 gap-2">
                        <Button
                          variant="secondary"
                          size="sm"
                          onClick={() => setEditingId(alert.id)}
                          aria-label={`Edit “${alert.name}”`}
                        >
                          Edit
                        </Button>
                        <Button
                          variant="secondary"
                          size="sm"
                          pending={toggle.isPending && toggle.variables?.id === alert.id}
                          onClick={() => toggle.mutate(alert)}
                          aria-label={`${alert.active ? "Pause" : "Resume"} “${alert.name}”`}
                        >
                          {alert.active ? "Pause" : "Resume"}
                        </Button>
                        <Button
                          variant="ghost"
                          size="sm"
                          pending={remove.isPending && remove.variables?.id === alert.id}
                          onClick={() =>
                            confirm(`Delete the alert “${alert.name}”? Its digests stop at once.`) &&
                            remove.mutate(alert)
                          }
                          aria-label={`Delete “${alert.name}”`}
                        >
                          Delete
                        </Button>
                      </div>
                    ) : null}
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

/** This list as its page's data island (components/data/islands.tsx). */
export const AlertsIsland = withProductQueries(AlertsManager);
