import type { Metadata } from "next";
import { PageHeader } from "@/components/ui";
import { TeamManager } from "@/components/data/islands";
import { requireViewer } from "@/lib/auth/next";
import { can } from "@/lib/orgs";
import { SettingsNav } from "../settings-nav";

export const metadata: Metadata = { title: "Team" };

export default async function TeamPage() {
  const viewer = await requireViewer("/settings/team");
  const canManage = can(viewer.org.role, "members:invite");
  return (
    <>
      <PageHeader title="Settings" description={viewer.org.name} />
      <SettingsNav current="/settings/team" />
      {!canManage ? (
        <p className="mb-4 text-sm text-slate-600">
          You are {viewer.org.role} here: owners and admins manage the team.
        </p>
      ) : null}
      <TeamManager canManage={canManage} canManageBilling={can(viewer.org.role, "billing:manage")} />
    </>
  );
}
