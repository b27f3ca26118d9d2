import type { Metadata } from "next";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui";
import { operatorCan, operatorContext } from "@/lib/auth";
import { requireOperator } from "@/lib/auth/next";
import { listRecentEmails } from "@/lib/ops";
import { maskEmail } from "@/lib/format";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "E-mails" };

export default async function EmailsPage({ searchParams }: { searchParams: Promise<{ to?: string }> }) {
  const operator = await requireOperator("/admin/ops/emails");
  const { to } = await searchParams;
  const showPii = operatorCan(operator.operatorRole, "ops:read_pii");
  const emails = await listRecentEmails(operatorContext(operator), {
    to: typeof to === "string" ? to.slice(0, 254) : undefined,
  });
  return (
    <>
      <PageHeader
        title="E-mails"
        description="What Beacon sent, newest first. Bodies are shown only for messages that were never delivered over SMTP (no SMTP_URL). Sign-in, verification, reset and invitation links are never shown: only their recipient receives them."
      />
      <form className="mb-4 flex flex-wrap items-end gap-2" role="search">
        <label className="text-sm font-medium text-slate-900" htmlFor="to">
          Recipient
        </label>
        <input
          id="to"
          name="to"
          type="email"
          defaultValue={to}
          className="h-10 rounded-md border border-slate-300 px-3 text-sm"
        />
        <button type="submit" className="h-10 rounded-md bg-indigo-600 px-4 text-sm font-medium text-white">
          Filter
        </button>
      </form>
      {emails.length === 0 ? (
        <EmptyState
          title="No e-mails"
          description={to ? "Nothing was sent to that address." : "Nothing has been sent yet."}
        />
      ) : (
        <ul className="space-y-3">
          {emails.map((email) => (
            <li key={email.id}>
              <Card>
                <div className="space-y-2 p-4" data-testid="email-row">
                  <div className="flex flex-wrap items-center gap-2 text-sm">
                    <Badge>{email.kind}</Badge>
                    <span className="font-medium text-slate-900">
                      {showPii ? email.toAddress : maskEmail(email.toAddress)}
                    </span>
                    <span className="text-slate-500">{formatDateTime(email.createdAt, { seconds: true })}</span>
                    {email.error ? (
                      <Badge tone="danger">failed: {email.error}</Badge>
                    ) : email.transport === "smtp" ? (
                      <Badge tone="success">sent</Badge>
                    ) : (
                      <Badge tone="warning">not sent (no SMTP)</Badge>
                    )}
                  </div>
                  <p className="text-sm text-slate-800">{email.subject}</p>
                  {email.sensitive ? (
                    <p className="text-xs text-slate-600">
                      Body withheld: it carried a sign-in link, which only the recipient receives.
                    </p>
                  ) : showPii && email.transport === "log" ? (
                    <pre className="overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-3 text-xs text-slate-800">
                      {email.textBody}
                    </pre>
                  ) : null}
                </div>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
