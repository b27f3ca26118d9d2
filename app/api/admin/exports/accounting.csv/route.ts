import { assertOperatorCan, operatorAuth, operatorContext } from "@/lib/auth";
import { parseQuery, route } from "@/lib/http";
import { accountingFilename, accountingQuerySchema, exportAccountingCsv } from "@/lib/ops";

export const dynamic = "force-dynamic";

/**
 * Accounting CSV: every org with its plan, subscription status, Stripe customer and invoices.
 * Money for every customer in one file, so ops_admin only (`exports:accounting`); audited.
 */
export const GET = route(
  async ({ auth, url, requestId }) => {
    assertOperatorCan(auth, "exports:accounting");
    const { label, ...range } = parseQuery(url, accountingQuerySchema);
    const { csv } = await exportAccountingCsv(operatorContext(auth.viewer, { requestId }), range);
    return new Response(csv, {
      status: 200,
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${accountingFilename(label)}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
  { authenticate: operatorAuth },
);
