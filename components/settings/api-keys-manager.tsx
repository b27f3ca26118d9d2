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
import { apiKeysQuery } from "@/components/data/queries";
import { CREATE_API_KEY_RULES } from "@/lib/orgs/rules";
import { checkText } from "@/lib/validation/rules";
import { formatDateTime } from "@/lib/format";

const when = (iso: string | null) => formatDateTime(iso, { empty: "never" });

export function ApiKeysManager({ canManage }: { canManage: boolean }) {
  const keys = useQuery(apiKeysQuery);
  const client = useQueryClient();
  const reload = () => client.invalidateQueries({ queryKey: apiKeysQuery.queryKey });
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: (body: { name: string }) =>
      apiFetch<{ name: string; key: string }>("/api/app/api-keys", { method: "POST", body }),
    onSuccess: (result) => setCreated(result),
    onError: (error) => setErrors(error instanceof ApiError ? error.fieldErrors : {}),
    onSettled: reload,
  });
  const revoke = useMutation({
    mutationFn: (id: string) => apiFetch(`/api/app/api-keys/${id}`, { method: "DELETE" }),
    onSettled: reload,
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    // The rules the server's createApiKeySchema is built from; it normalises the name itself.
    const problem = checkText(CREATE_API_KEY_RULES.name, name);
    if (problem) return setErrors({ name: problem });
    setErrors({});
    setCreated(null);
    create.mutate({ name });
  }

  return (
    <div className="space-y-6">
      {canManage ? (
        <Card>
          <CardHeader
            title="Create an API key"
            description={
              <>
                Send it as <code className="font-mono text-slate-800">Authorization: Bearer &lt;key&gt;</code> with
                every call to the Beacon API.
              </>
            }
          />
          <CardBody>
            <form onSubmit={submit} noValidate className="grid gap-4 sm:grid-cols-[1fr_auto] sm:items-end">
              <Field id="key-name" label="Name" hint="Where will you use it?" error={errors.name}>
                <Input name="name" maxLength={80} />
              </Field>
              <Button type="submit" pending={create.isPending}>
                Create key
              </Button>
            </form>
            {create.error && !errors.name ? (
              <Alert tone="error" className="mt-4">
                {create.error.message}
              </Alert>
            ) : null}
            {created ? (
              <Alert tone="warning" className="mt-4" title="Copy your key now">
                This is the only time “{created.name}” is shown in full:
                <span className="mt-2 flex flex-wrap items-center gap-2">
                  <code className="break-all font-mono" data-testid="new-api-key">
                    {created.key}
                  </code>
                  <CopyButton value={created.key} label="Copy key" />
                </span>
              </Alert>
            ) : null}
          </CardBody>
        </Card>
      ) : null}
      {revoke.error ? <Alert tone="error">{revoke.error.message}</Alert> : null}
      <Card>
        <CardHeader title="Keys" />
        {keys.isPending ? (
          <p className="px-6 py-4 text-slate-600" role="status">
            Loading keys…
          </p>
        ) : keys.error ? (
          <Alert tone="error">{keys.error.message}</Alert>
        ) : keys.data.data.length === 0 ? (
          <EmptyState title="No API keys yet" description="Create one to call the Beacon API from your own tools." />
        ) : (
          <ul className="divide-y divide-slate-200">
            {keys.data.data.map((k) => (
              <li key={k.id} className="flex flex-wrap items-center gap-3 px-4 py-3 sm:px-6" data-testid="api-key-row">
                <div className="min-w-0 flex-1">
                  <p className="font-medium text-slate-900">
                    {k.name} <code className="ml-1 text-sm text-slate-600">{k.prefix}…</code>
                  </p>
                  <p className="text-sm text-slate-600">
                    Created {when(k.createdAt)} · last used {when(k.lastUsedAt)}
                  </p>
                </div>
                {k.revokedAt ? (
                  <Badge tone="neutral">revoked</Badge>
                ) : canManage ? (
                  <Button
                    variant="ghost"
                    size="sm"
                    onClick={() =>
                      confirm(`Revoke “${k.name}”? Calls with it will fail at once.`) && revoke.mutate(k.id)
                    }
                  >
                    Revoke
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

/** This list as its page's data island (components/data/islands.tsx). */
export const ApiKeysIsland = withProductQueries(ApiKeysManager);
