import type { Metadata } from "next";
import { Badge, Button, Card, CardBody, CardHeader, Field, Input, PageHeader } from "@/components/ui";
import { operatorCan } from "@/lib/auth";
import { requireOperator } from "@/lib/auth/next";
import { redactedConfig } from "@/lib/env";
import { integrationStatus, type IntegrationState } from "@/lib/ops";
import { backgroundExecutor } from "@/lib/jobs";

export const metadata: Metadata = { title: "Configuration" };

const STATE_LABEL: Record<IntegrationState, string> = {
  configured: "configured",
  partial: "partly configured",
  not_configured: "not configured",
};
const STATE_TONE = { configured: "success", partial: "warning", not_configured: "danger" } as const satisfies Record<
  IntegrationState,
  string
>;

export default async function ConfigPage() {
  const operator = await requireOperator("/admin/ops/config");
  const config = redactedConfig();
  const integrations = integrationStatus();
  const executor = backgroundExecutor();
  const missing = integrations.filter((i) => i.state !== "configured");
  return (
    <>
      <PageHeader
        title="Configuration"
        description="What this process runs with. Secrets show as <redacted> when set."
      />
      <Card className="mb-6">
        <CardHeader title={`Background functions: ${executor.label}`} description={executor.detail} />
      </Card>
      <Card className="mb-6" data-testid="integrations">
        <CardHeader
          title="Integrations"
          description={
            missing.length
              ? `${missing.length} of ${integrations.length} not fully configured: what stops working without each.`
              : "Every integration is configured."
          }
        />
        <ul className="divide-y divide-slate-200">
          {integrations.map((i) => (
            <li key={i.id} className="px-4 py-3 text-sm sm:px-6">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-medium text-slate-900">{i.name}</span>
                <Badge tone={STATE_TONE[i.state]}>{STATE_LABEL[i.state]}</Badge>
                <span className="font-mono text-xs text-slate-500">{i.variables.join(", ")}</span>
              </div>
              {i.withoutIt ? (
                <p className="mt-1 text-slate-700">
                  {i.missing.length ? (
                    <span className="font-mono text-xs text-slate-500">Unset: {i.missing.join(", ")}. </span>
                  ) : null}
                  {i.withoutIt}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      </Card>
      {operatorCan(operator.operatorRole, "exports:accounting") ? (
        <Card className="mb-6">
          <CardHeader
            title="Accounting export"
            description="Every organisation with its plan, subscription status, Stripe customer and invoices (amounts in cents), as CSV. Dates are UTC days; leave both empty for everything. Each download is recorded in the audit log."
          />
          <CardBody>
            {/* A plain GET form: the browser downloads the attachment the API answers with. */}
            <form method="get" action="/api/admin/exports/accounting.csv" className="flex flex-wrap items-end gap-3">
              <Field id="accounting-from" label="Invoices from">
                <Input type="date" name="from" />
              </Field>
              <Field id="accounting-to" label="Invoices to (included)">
                <Input type="date" name="to" />
              </Field>
              <Button type="submit">Download accounting CSV</Button>
            </form>
          </CardBody>
        </Card>
      ) : null}
      <Card>
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Variable
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Value
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {Object.entries(config).map(([name, value]) => (
                <tr key={name}>
                  <td className="px-4 py-2 font-mono text-slate-900">{name}</td>
                  <td className="px-4 py-2 font-mono text-slate-700">
                    {value === null ? <span className="text-slate-400">unset</span> : String(value)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </>
  );
}
