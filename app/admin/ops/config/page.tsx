import type { Metadata } from "next";
import { Card, PageHeader } from "@/components/ui";
import { redactedConfig } from "@/lib/env";

export const metadata: Metadata = { title: "Configuration" };

export default function ConfigPage() {
  const config = redactedConfig();
  return (
    <>
      <PageHeader title="Configuration" description="What this process runs with. Secrets show as <redacted> when set." />
      <Card>
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">Variable</th>
                <th scope="col" className="px-4 py-2 font-medium">Value</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {Object.entries(config).map(([name, value]) => (
                <tr key={name}>
                  <td className="px-4 py-2 font-mono text-slate-900">{name}</td>
                  <td className="px-4 py-2 font-mono text-slate-700">{value === null ? <span className="text-slate-400">unset</span> : String(value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </>
  );
}
