"use client";

import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactNode } from "react";
import { Alert, Badge, Button, Card, CardBody, CardHeader, Field, Input } from "@/components/ui";
import { ApiError, apiFetch } from "@/lib/client";
import { withProductQueries } from "@/components/data/product-queries";
import { teamQuery, type SeatUsage } from "@/components/data/queries";
import { INVITE_MEMBER_RULES } from "@/lib/orgs/rules";
import { checkText } from "@/lib/validation/rules";
import type { OrgRole } from "@/lib/orgs";
import { formatDate } from "@/lib/format";

const UPGRADE_PATH = "/settings/billing";

function seatsSummary(seats: SeatUsage) {
  const base = `${seats.used} of ${seats.limit} ${seats.limit === 1 ? "seat" : "seats"} used on the ${seats.planName} plan`;
  const pending =
    seats.openInvitations > 0
      ? ` (${seats.members} ${seats.members === 1 ? "member" : "members"}, ${seats.openInvitations} open ${seats.openInvitations === 1 ? "invitation" : "invitations"})`
      : "";
  return `${base}${pending}`;
}

/** `canManageBilling`: only roles that may change the plan get the upgrade link. */
export function TeamManager({ canManage, canManageBilling }: { canManage: boolean; canManageBilling: boolean }) {
  const team = useQuery(teamQuery);
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: teamQuery.queryKey });
  const changeRole = useMutation({
    mutationFn: (v: { id: string; role: OrgRole }) =>
      apiFetch(`/api/app/members/${v.id}`, { method: "PATCH", body: { role: v.role } }),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => apiFetch(`/api/app/members/${id}`, { method: "DELETE" }),
    onSettled: refresh,
  });
  const revoke = useMutation({
    mutationFn: (id: string) => apiFetch(`/api/app/invitations/${id}`, { method: "DELETE" }),
    onSettled: refresh,
  });
  const failure = [changeRole.error, remove.error, revoke.error].find(Boolean) as Error | undefined;

  if (team.isPending)
    return (
      <p className="text-slate-600" role="status">
        Loading your team…
      </p>
    );
  if (team.error) return <Alert tone="error">{team.error.message}</Alert>;
  const { data: members, invitations, me, seats } = team.data;
  const upgrade = canManageBilling ? (
    <Link href={UPGRADE_PATH} className="font-medium underline underline-offset-2">
      Upgrade your plan
    </Link>
  ) : null;

  return (
    <div className="space-y-6">
      {failure ? <Alert tone="error">{failure.message}</Alert> : null}
      {seats.overLimit ? (
        <Alert tone="warning" title="Over the seat limit" action={upgrade}>
          {seats.used} of {seats.limit} {seats.limit === 1 ? "seat" : "seats"} used — over the limit of the{" "}
          {seats.planName} plan. Nobody was removed: remove members or revoke invitations, or upgrade, before inviting
          anyone else.
        </Alert>
      ) : (
        <p className="text-sm text-slate-700" data-testid="seat-usage">
          {seatsSummary(seats)}.
        </p>
      )}
      {canManage ? <InviteForm roles={me.assignableRoles} onInvited={refresh} upgrade={upgrade} /> : null}
      <Card>
        <CardHeader title="Members" description={`${members.length} ${members.length === 1 ? "person" : "people"}`} />
        <ul className="divide-y divide-slate-200">
          {members.map((m) => {
            const editable = canManage && m.userId !== me.userId && me.assignableRoles.includes(m.role);
            return (
              <li key={m.id} className="flex flex-wrap items-center gap-3 px-4 py-3 sm:px-6" data-testid="member-row">
                <div className="min-w-0 flex-1">
                  <p className="truncate font-medium text-slate-900">{m.name ?? m.email}</p>
                  <p className="truncate text-sm text-slate-600">{m.email}</p>
                </div>
                {editable ? (
                  <>
                    <label className="sr-only" htmlFor={`role-${m.id}`}>
                      Role of {m.email}
                    </label>
                    <select
                      id={`role-${m.id}`}
                      className="h-9 rounded-md border border-slate-300 bg-white px-2 text-sm"
                      value={m.role}
                      onChange={(e) => changeRole.mutate({ id: m.id, role: e.target.value as OrgRole })}
                    >
                      {me.assignableRoles.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                    <Button
                      variant="ghost"
                      size="sm"
                      onClick={() => confirm(`Remove ${m.email} from this organisation?`) && remove.mutate(m.id)}
                    >
                      Remove
                    </Button>
                  </>
                ) : (
                  <Badge data-testid="member-role">{m.role}</Badge>
                )}
              </li>
            );
          })}
        </ul>
      </Card>
      {invitations.length > 0 ? (
        <Card>
          <CardHeader title="Open invitations" />
          <ul className="divide-y divide-slate-200">
            {invitations.map((i) => (
              <li key={i.id} className="flex flex-wrap items-center gap-3 px-4 py-3 sm:px-6">
                <div className="min-w-0 flex-1">
                  <p className="truncate font-medium text-slate-900">{i.email}</p>
                  <p className="text-sm text-slate-600">
                    {i.role} · expires {formatDate(i.expiresAt)}
                  </p>
                </div>
                {canManage ? (
                  <Button variant="ghost" size="sm" onClick={() => revoke.mutate(i.id)}>
                    Revoke
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  );
}

function InviteForm({ roles, onInvited, upgrade }: { roles: OrgRole[]; onInvited: () => void; upgrade: ReactNode }) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const invite = useMutation({
    mutationFn: (body: { email: string; role: OrgRole }) =>
      apiFetch<{ email: string; url: string }>("/api/app/invitations", { method: "POST", body }),
    onSuccess: (result) => {
      setLink(result);
      onInvited();
    },
    onError: (error) => setErrors(error instanceof ApiError ? error.fieldErrors : {}),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = { email: String(form.get("email") ?? ""), role: String(form.get("role") ?? "") };
    // The rules the server's inviteMemberSchema is built from; it normalises the address itself.
    const problems = Object.entries(INVITE_MEMBER_RULES).flatMap(([field, rules]) => {
      const message = checkText(rules, body[field as keyof typeof body]);
      return message ? [[field, message]] : [];
    });
    if (problems.length > 0) {
      setErrors(Object.fromEntries(problems));
      return;
    }
    setErrors({});
    setLink(null);
    invite.mutate({ email: body.email, role: body.role as OrgRole });
  }

  return (
    <Card>
      <CardHeader
        title="Invite a teammate"
        description="They get an e-mail with a link that works once and expires in 7 days."
      />
      <CardBody>
        <form onSubmit={submit} noValidate className="grid gap-4 sm:grid-cols-[1fr_auto_auto] sm:items-end">
          <Field id="invite-email" label="E-mail" error={errors.email}>
            <Input name="email" type="email" autoComplete="off" inputMode="email" />
          </Field>
          <Field id="invite-role" label="Role" error={errors.role}>
            {(control) => (
              <select
                {...control}
                name="role"
                defaultValue="member"
                className="h-10 rounded-md border border-slate-300 bg-white px-2 text-sm"
              >
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Button type="submit" pending={invite.isPending}>
            Send invitation
          </Button>
        </form>
        {invite.error && !Object.keys(errors).length ? (
          <Alert
            tone="error"
            className="mt-4"
            title={seatLimitReached(invite.error) ? "No free seat" : undefined}
            action={seatLimitReached(invite.error) ? upgrade : undefined}
          >
            {invite.error.message}
          </Alert>
        ) : null}
        {link ? (
          <Alert tone="success" className="mt-4">
            Invitation sent to {link.email}. You can also share this link with them:{" "}
            <code className="break-all" data-testid="invitation-link">
              {link.url}
            </code>
          </Alert>
        ) : null}
      </CardBody>
    </Card>
  );
}

/** The invitation was refused because every seat is taken (the problem carries `seats`). */
function seatLimitReached(error: Error): boolean {
  return error instanceof ApiError && error.code === "forbidden" && typeof error.problem.seats === "object";
}

/** This list as its page's data island (components/data/islands.tsx). */
export const TeamIsland = withProductQueries(TeamManager);
