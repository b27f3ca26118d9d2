import { inngest } from "@/inngest/client";
import { FUNCTIONS } from "@/inngest/functions";
import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { parseJsonBody, parseQuery, route } from "@/lib/http";
import { BULK_RERUN_CAP, bulkRerunBody, bulkRerunJobs, countJobRuns, toJobRunFilter } from "@/lib/jobs";
import { assertAdminWritable, breakGlassTokenFrom } from "@/lib/ops";

export const dynamic = "force-dynamic";

/** How many runs a filter matches (what POST must be confirmed with), and the cap. */
export const GET = route(
  async ({ auth, url }) => {
    assertOperatorCan(auth, "ops:read");
    const filter = toJobRunFilter(parseQuery(url, bulkRerunBody.shape.filter));
    const matched = await countJobRuns(filter);
    return { body: { matched, cap: BULK_RERUN_CAP, allowed: matched > 0 && matched <= BULK_RERUN_CAP } };
  },
  { authenticate: operatorAuth },
);

/** Bulk re-run by filter (ops_support, ops_admin): named (`label`), confirmed with the matching count, capped, audited once. */
export const POST = route(
  async ({ auth, request, requestId }) => {
    assertOperatorCan(auth, "jobs:rerun");
    const actor = await assertAdminWritable(auth.viewer.user, breakGlassTokenFrom(request));
    const body = await parseJsonBody(request, bulkRerunBody);
    const result = await bulkRerunJobs(
      { filter: toJobRunFilter(body.filter), label: body.label, confirm: body.confirm },
      actor,
      { functions: FUNCTIONS, send: (event) => inngest.send(event), requestId },
    );
    return {
      status: result.failed ? 502 : 200,
      body: {
        matched: result.matched,
        rerun_count: result.reruns.length,
        reruns: result.reruns.map((r) => ({
          rerun_of: r.rerunOf,
          job_run_id: r.jobRunId,
          status: r.status,
          mode: r.mode,
        })),
        failed: result.failed ? { rerun_of: result.failed.rerunOf, error: result.failed.error } : null,
        audit_id: result.auditId,
      },
    };
  },
  { authenticate: operatorAuth },
);
