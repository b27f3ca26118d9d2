"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import {
  Alert,
  Badge,
  Button,
  Card,
  CardBody,
  CardHeader,
  CopyButton,
  EmptyState,
  Field,
  Input,
} from "@/components/ui";
import { ApiError, apiFetch } from "@/lib/client";
import { withProductQueries } from "@/components/data/product-queries";
import { channelsQuery } from "@/components/data/queries";
import type { ApiChannel } from "@/lib/channels";
import { CHANNEL_KINDS, CHANNEL_KIND_LABELS, CHANNEL_RULES, type ChannelKind } from "@/lib/channels/rules";
import { formatDateTime } from "@/lib/format";
import { checkText } from "@/lib/validation/rules";

/** A channel as the API answers it (README "Team channels"). */
type Channel = ApiChannel;

interface TestResult {
  status: string;
  error: string | null;
}

const URL_HINTS: Record<ChannelKind, string> = {
  slack: "Slack → Apps → Incoming Webhooks: https://hooks.slack.com/services/…",
  teams: "Teams channel → Workflows (or Connectors) → Incoming webhook: the URL it gives you.",
  webhook: "Your own https endpoint. Each post carries a Beacon-Signature header signed with a secret shown once.",
};

const when = (iso: string | null) => formatDateTime(iso, { empty: "never" });

/** The org's channels come with the page (`seed` of channelsQuery, components/data/islands.tsx). */
export function ChannelsManager({ canManage }: { canManage: boolean }) {
  const channels = useQuery(channelsQuery);
  const client = useQueryClient();
  const reload = () => client.invalidateQueries({ queryKey: channelsQuery.queryKey });
  const [kind, setKind] = useState<ChannelKind>("slack");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [tests, setTests] = useState<Record<string, TestResult>>({});

  const create = useMutation({
    mutationFn: (body: { kind: ChannelKind; name: string; url: string }) =>
      apiFetch<{ channel: Channel; signing_secret: string | null }>("/api/app/channels", { method: "POST", body }),
    onSuccess: (result) => {
      setCreated(result.signing_secret ? { name: result.channel.name, secret: result.signing_secret } : null);
    },
    onError: (error) => setErrors(error instanceof ApiError ? error.fieldErrors : {}),
    onSettled: reload,
  });
  const test = useMutation({
    mutationFn: (id: string) =>
      apiFetch<TestResult>(`/api/app/channels/${id}/test`, { method: "POST" }).then((result) => ({ id, result })),
    onSuccess: ({ id, result }) => setTests((prev) => ({ ...prev, [id]: result })),
    onSettled: reload,
  });
  const update = useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) =>
      apiFetch(`/api/app/channels/${id}`, { method: "PATCH", body: { enabled } }),
    onSettled: reload,
  });
  const remove = useMutation({
    mutationFn: (id: string) => apiFetch(`/api/app/channels/${id}`, { method: "DELETE" }),
    onSettled: reload,
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values = { kind, name: String(form.get("name") ?? ""), url: String(form.get("url") ?? "") };
    const found: Record<string, string> = {};
    for (const field of ["name", "url"] as const) {
      const problem = checkText(CHANNEL_RULES[field], values[field]);
      if (problem) found[field] = problem;
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setCreated(null);
    create.mutate(values);
  }

  const actionError = test.error ?? update.error ?? remove.error;
  return (
    <div className="space-y-6">
      {canManage ? (
        <Card>
          <CardHeader
            title="Add a channel"
            description="Alerts you point at a channel post their new matches there, and changes to notices they sent, besides the e-mail."
          />
          <CardBody>
            <form onSubmit={submit} noValidate aria-label="Add a channel" className="space-y-4">
              <fieldset>
                <legend className="text-sm font-medium text-slate-900">Kind</legend>
                <div className="mt-2 flex flex-wrap gap-4">
                  {CHANNEL_KINDS.map((k) => (
                    <label key={k} className="flex items-center gap-2 text-sm text-slate-800">
                      <input
                        type="radio"
                        name="kind"
                        value={k}
                        checked={kind === k}
                        onChange={() => setKind(k)}
                        className="h-4 w-4 accent-indigo-600"
                      />
                      {CHANNEL_KIND_LABELS[k]}
                    </label>
                  ))}
                </div>
              </fieldset>
              <Field
                id="channel-name"
                label="Name"
                hint="How your team knows it, e.g. #capture-team."
                error={errors.name}
              >
                <Input name="name" maxLength={80} />
              </Field>
              <Field id="channel-url" label="Webhook URL" hint={URL_HINTS[kind]} error={errors.url}>
                <Input name="url" type="url" maxLength={2_000} autoComplete="off" />
              </Field>
              <Button type="submit" pending={create.isPending}>
                Add channel
              </Button>
            </form>
            {create.error && !errors.name && !errors.url ? (
              <Alert tone="error" className="mt-4">
                {create.error.message}
              </Alert>
            ) : null}
            {created ? (
              <Alert tone="warning" className="mt-4" title="Copy the signing secret now">
                This is the only time the signing secret of “{created.name}” is shown. Verify each post&apos;s
                Beacon-Signature header with it:
                <span className="mt-2 flex flex-wrap items-center gap-2">
                  <code className="break-all font-mono" data-testid="channel-signing-secret">
                    {created.secret}
                  </code>
                  <CopyButton value={created.secret} label="Copy secret" />
                </span>
              </Alert>
            ) : null}
          </CardBody>
        </Card>
      ) : null}
      {actionError ? <Alert tone="error">{actionError.message}</Alert> : null}
      <Card>
        <CardHeader title="Channels" />
        {channels.isPending ? (
          <p className="px-6 py-4 text-slate-600" role="status">
            Loading channels…
          </p>
        ) : channels.error && !channels.data ? (
          <Alert tone="error">{channels.error.message}</Alert>
        ) : channels.data!.data.length === 0 ? (
          <EmptyState title="No channels yet" description="Add Slack, Microsoft Teams or a signed webhook." />
        ) : (
          <ul className="divide-y divide-slate-200">
            {channels.data!.data.map((c) => {
              const result = tests[c.id];
              return (
                <li key={c.id} className="space-y-2 px-4 py-3 sm:px-6" data-testid="channel-row">
                  <div className="flex flex-wrap items-center gap-3">
                    <div className="min-w-0 flex-1">
                      <p className="font-medium text-slate-900">
                        {c.name}{" "}
                        <span className="text-sm font-normal text-slate-600">
                          {CHANNEL_KIND_LABELS[c.kind]} · <code className="break-all">{c.url_hint}</code>
                        </span>
                      </p>
                      <p className="text-sm text-slate-600">
                        Last delivered {when(c.last_success_at)}
                        {c.consecutive_failures > 0 ? ` · ${c.consecutive_failures} failed in a row` : ""}
                      </p>
                    </div>
                    {c.enabled ? <Badge tone="success">Enabled</Badge> : <Badge tone="danger">Disabled</Badge>}
                  </div>
                  {!c.enabled && c.disabled_reason ? (
                    <p className="text-sm text-red-700" data-testid="channel-disabled-reason">
                      {c.disabled_reason}
                    </p>
                  ) : null}
                  {result ? (
                    <p className="text-sm" role="status" data-testid="channel-test-result">
                      {result.status === "delivered"
                        ? "Test delivered."
                        : `Test failed: ${result.error ?? "not delivered yet"}.`}
                    </p>
                  ) : null}
                  {canManage ? (
                    <div className="flex flex-wrap gap-2">
                      {c.enabled ? (
                        <Button
                          variant="secondary"
                          size="sm"
                          aria-label={`Send a test to “${c.name}”`}
                          pending={test.isPending}
                          onClick={() => test.mutate(c.id)}
                        >
                          Send test
                        </Button>
                      ) : null}
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={`${c.enabled ? "Switch off" : "Switch on"} “${c.name}”`}
                        onClick={() => update.mutate({ id: c.id, enabled: !c.enabled })}
                      >
                        {c.enabled ? "Switch off" : "Switch on"}
                      </Button>
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={`Delete “${c.name}”`}
                        onClick={() => confirm(`Delete “${c.name}”? Alerts stop posting there.`) && remove.mutate(c.id)}
                      >
                        Delete
                      </Button>
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </Card>
    </div>
  );
}

/** This list as its page's data island (components/data/islands.tsx). */
export const ChannelsIsland = withProductQueries(ChannelsManager);
