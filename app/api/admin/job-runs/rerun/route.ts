import { commandRoute } from "@/app/api/admin/command-route";
import { assertOperatorCan, operatorAuth, operatorContext } from "@/lib/auth";
import { parseQuery, route } from "@/lib/http";
import { BULK_RERUN_CAP, countJobRuns, jobRunFilterSchema, toJobRunFilter } from "@/lib/jobs";
import { bulkRerunJobRuns } from "@/lib/ops/commands";

export const dynamic = "force-dynamic";

/** How many runs a filter matches (what POST must be confirmed with), and the cap. */
export const GET = route(
  async ({ auth, url, requestId }) => {
    assertOperatorCan(auth, "ops:read");
    const filter = toJobRunFilter(parseQuery(url, jobRunFilterSchema));
    const matched = await countJobRuns(operatorContext(auth.viewer, { requestId }), filter);
    return { body: { matched, cap: BULK_RERUN_CAP, allowed: matched > 0 && matched <= BULK_RERUN_CAP } };
  },
  { authenticate: operatorAuth },
);

export const POST = commandRoute(bulkRerunJobRuns);
