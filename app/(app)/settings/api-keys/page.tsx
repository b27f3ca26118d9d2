import type { Metadata } from "next";
import { PageHeader } from "@/components/ui";
import { ApiKeysManager } from "@/components/data/islands";
import { requireViewer } from "@/lib/auth/next";
import { can } from "@/lib/orgs";
import { SettingsNav } from "../settings-nav";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const viewer = await requireViewer("/settings/api-keys");
  const canManage = can(viewer.org.role, "api_keys:manage");
  return (
    <>
      <PageHeader title="Settings" description={viewer.org.name} />
      <SettingsNav current="/settings/api-keys" />
      {!canManage ? <p className="mb-4 text-sm text-slate-600">Owners and admins create and revoke keys.</p> : null}
      <ApiKeysManager canManage={canManage} />
    </>
  );
}
