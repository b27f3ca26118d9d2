import type { Metadata } from "next";
import { Badge, Card, CardBody, PageHeader } from "@/components/ui";
import { operatorCan, operatorContext } from "@/lib/auth";
import { requireOperator } from "@/lib/auth/next";
import { listFlags } from "@/lib/flags";
import { activeBreakGlassSessions } from "@/lib/ops";
import { cockpitWriteStateFor } from "../break-glass-cookie";
import { BreakGlassForm } from "./break-glass-form";
import { FlagToggleForm } from "./flag-toggle-form";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Flags & incident" };

const at = (d: Date) => formatDateTime(d);

export default async function FlagsPage() {
  const operator = await requireOperator("/admin/ops/flags");
  const [flags, sessions, writes] = await Promise.all([
    listFlags({ maxAgeMs: 0 }),
    activeBreakGlassSessions(operatorContext(operator)),
    cockpitWriteStateFor(operator.user.id),
  ]);
  const canManage = operatorCan(operator.operatorRole, "flags:manage");
  const canBreakGlass = operatorCan(operator.operatorRole, "break_glass:start");
  return (
    <>
      <PageHeader
        title="Flags & incident"
        description="Runtime switches, incident mode and break-glass. Every change is audited."
      />
      <section aria-labelledby="flags-heading" className="space-y-3">
        <h2 id="flags-heading" className="text-lg font-semibold text-slate-900">
          Feature flags
        </h2>
        <ul className="space-y-3">
          {flags.map((flag) => {
            // incident_mode is the one switch that stays usable while the cockpit is read-only.
            const locked = flag.key !== "incident_mode" && !writes.writable;
            return (
              <li
                key={flag.key}
                className="rounded-lg bg-white p-4 text-sm ring-1 ring-slate-200"
                data-testid={`flag-${flag.key}`}
              >
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-mono font-medium text-slate-900">{flag.key}</span>
                  <Badge tone={flag.enabled ? "success" : "neutral"}>{flag.enabled ? "on" : "off"}</Badge>
                  {flag.overridden ? null : <span className="text-slate-500">default</span>}
                </div>
                <p className="mt-1 text-slate-700">{flag.description}</p>
                {flag.updatedAt ? (
                  <p className="mt-1 text-slate-500">
                    Changed {at(flag.updatedAt)}
                    {flag.updatedBy ? ` by ${flag.updatedBy}` : ""}
                    {flag.reason ? `: ${flag.reason}` : ""}
                  </p>
                ) : null}
                {canManage ? (
                  <div className="mt-3">
                    <FlagToggleForm flagKey={flag.key} enabled={flag.enabled} disabled={locked} />
                    {locked ? (
                      <p className="mt-1 text-slate-500">Read-only: start break-glass to change this flag.</p>
                    ) : null}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      </section>
      <section aria-labelledby="break-glass-heading" className="mt-8 space-y-3">
        <h2 id="break-glass-heading" className="text-lg font-semibold text-slate-900">
          Break-glass
        </h2>
        <p className="text-sm text-slate-700">
          While the cockpit is read-only, an ops_admin can allow their own writes for a limited time. The reason is
          audited, and so is every write made under the session. API clients use the token from{" "}
          <code>POST /api/admin/break-glass</code> in an <code>X-Break-Glass-Token</code> header.
        </p>
        {canBreakGlass && !writes.breakGlass ? (
          <Card>
            <CardBody>
              <BreakGlassForm />
            </CardBody>
          </Card>
        ) : null}
        <h3 className="text-base font-semibold text-slate-900">Active sessions</h3>
        {sessions.length === 0 ? (
          <p className="text-sm text-slate-600">None.</p>
        ) : (
          <ul className="space-y-2 text-sm">
            {sessions.map((s) => (
              <li key={s.id} className="rounded-lg bg-white p-3 ring-1 ring-slate-200">
                <span className="font-medium text-slate-900">{s.operatorEmail}</span> · until {at(s.expiresAt)} ·{" "}
                {s.reason}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
