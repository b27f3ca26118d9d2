import type { Metadata } from "next";
import { UpgradePrompt } from "@/components/upgrade-prompt";
import { ChannelsManager } from "@/components/data/islands";
import { channelsQuery } from "@/components/data/queries";
import { seedQuery } from "@/components/data/seed";
import { PageHeader } from "@/components/ui";
import { requireMember } from "@/lib/auth/next";
import { channelsAccess, listChannels } from "@/lib/channels";
import { can } from "@/lib/orgs";
import { SettingsNav } from "../settings-nav";

export const metadata: Metadata = { title: "Channels" };

export default async function ChannelsPage() {
  const { viewer, ctx } = await requireMember("/settings/channels");
  const access = await channelsAccess(ctx);
  const header = (
    <>
      <PageHeader title="Settings" description={viewer.org.name} />
      <SettingsNav current="/settings/channels" />
    </>
  );
  if (!access.included)
    return (
      <>
        {header}
        <UpgradePrompt
          title="Get alerts where your team works"
          description={`Post new matches and changes to Slack, Microsoft Teams or your own signed webhook, per alert. Channels come with Pro and Enterprise; ${viewer.org.name} is on ${access.planName}.`}
          upgradeUrl={access.upgradeUrl}
        />
      </>
    );
  const canManage = can(viewer.org.role, "channels:manage");
  return (
    <>
      {header}
      {!canManage ? (
        <p className="mb-4 text-sm text-slate-600">Owners and admins add, test and remove channels.</p>
      ) : null}
      <ChannelsManager seed={seedQuery(channelsQuery, { data: await listChannels(ctx) })} canManage={canManage} />
    </>
  );
}
