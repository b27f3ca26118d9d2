import type { Metadata } from "next";
import { Card, CardBody, PageHeader } from "@/components/ui";
import { operatorContext } from "@/lib/auth";
import { requireOperator } from "@/lib/auth/next";
import { backgroundExecutor } from "@/lib/jobs";
import { opsOverview, type PlatformCounts } from "@/lib/ops";
import { JobsChart } from "./jobs-chart";
import { OnboardingFunnel } from "./onboarding-funnel";
import { OverviewLive } from "./overview-live";

export const metadata: Metadata = { title: "Ops overview" };

const TILES: { key: keyof PlatformCounts; label: string }[] = [
  { key: "organizations", label: "Organisations" },
  { key: "users", label: "Users" },
  { key: "signupsLast7d", label: "Sign-ups, last 7 days" },
  { key: "activeApiKeys", label: "Active API keys" },
  { key: "emailsLast24h", label: "E-mails, last 24 h" },
  { key: "emailFailuresLast24h", label: "E-mail failures, last 24 h" },
  { key: "operators", label: "Operators" },
];

export const dynamic = "force-dynamic";

export default async function OpsOverviewPage() {
  const overview = await opsOverview(operatorContext(await requireOperator("/admin/ops")));
  const counts = overview.counts;
  const executor = backgroundExecutor();
  return (
    <>
      <PageHeader title="Operations" description="Platform at a glance." />
      <p className="mb-4 text-sm text-slate-700" title={executor.detail}>
        Background functions: <span className="font-medium text-slate-900">{executor.label}</span>
      </p>
      <OverviewLive initial={overview} />
      <OnboardingFunnel funnel={overview.business.funnel} />
      <h2 className="mb-2 text-base font-semibold text-slate-900">Job runs, last 24 hours</h2>
      <JobsChart buckets={overview.jobs_last_24h} />
      <h2 className="mb-2 text-base font-semibold text-slate-900">Platform</h2>
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        {TILES.map((tile) => (
          <Card key={tile.key}>
            <CardBody>
              <p className="text-sm text-slate-600">{tile.label}</p>
              <p
                className={`mt-1 text-2xl font-semibold ${tile.key === "emailFailuresLast24h" && counts[tile.key] > 0 ? "text-red-700" : "text-slate-900"}`}
              >
                {counts[tile.key].toLocaleString("en-US")}
              </p>
            </CardBody>
          </Card>
        ))}
      </div>
    </>
  );
}
