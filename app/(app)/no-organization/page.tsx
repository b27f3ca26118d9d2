import type { Metadata } from "next";
import { getViewer } from "@/lib/auth/next";
import { redirect } from "next/navigation";

export const metadata: Metadata = { title: "No organisation" };

export default async function NoOrganizationPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in");
  if (viewer.org) redirect("/dashboard");
  return (
    <div className="max-w-xl">
      <h1 className="text-2xl font-semibold text-slate-900">You are not in an organisation</h1>
      <p className="mt-3 text-slate-700">
        {viewer.operatorRole
          ? "Operator accounts work in the cockpit at /admin/ops."
          : "You were removed from your last organisation. Ask a teammate for a new invitation link."}
      </p>
    </div>
  );
}
