import type { Metadata } from "next";
import { AlertsManager } from "@/components/data/islands";
import { alertsQuery } from "@/components/data/queries";
import { seedQuery } from "@/components/data/seed";
import { PageHeader } from "@/components/ui";
import { alertUsage, listAlerts, toApiAlert } from "@/lib/alerts";
import { requireMember } from "@/lib/auth/next";
import { CHANNEL_KIND_LABELS, channelsAccess, listChannels } from "@/lib/channels";
import { SET_ASIDE_OPTIONS, US_STATES } from "@/lib/onboarding/options";
import { naicsTitles } from "@/lib/opportunities";
import { can } from "@/lib/orgs";

export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsPage() {
  const { viewer, ctx } = await requireMember("/alerts");
  const [rows, usage, access] = await Promise.all([listAlerts(ctx), alertUsage(ctx), channelsAccess(ctx)]);
  const channels = access.included
    ? (await listChannels(ctx)).map((c) => ({
        id: c.id,
        name: c.name,
        kindLabel: CHANNEL_KIND_LABELS[c.kind],
        enabled: c.enabled,
      }))
    : [];
  const codes = [...new Set(rows.flatMap((row) => row.naics))].filter((code) => /^\d{2,6}$/.test(code));
  return (
    <>
      <PageHeader
        title="Alerts"
        description="Saved searches that e-mail you new contract opportunities as they are published."
        className="mb-6"
      />
      <AlertsManager
        seed={seedQuery(alertsQuery, { data: rows.map(toApiAlert), usage })}
        canManage={can(viewer.org.role, "alerts:manage")}
        choices={{ states: US_STATES, setAsides: SET_ASIDE_OPTIONS }}
        channels={channels}
        naicsTitles={Object.fromEntries(await naicsTitles(codes))}
      />
    </>
  );
}
