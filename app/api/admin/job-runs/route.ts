import { assertOperatorCan, operatorAuth, operatorCan, operatorContext } from "@/lib/auth";
import { parseQuery, route } from "@/lib/http";
import { encodeJobRunCursor, jobRunListQuery, listJobRuns, presentJobRun, toJobRunQuery } from "@/lib/jobs";

export const dynamic = "force-dynamic";

/** Job runs, newest first; filters: function, status, org, from/to (ISO), q (payload text), limit + cursor. */
export const GET = route(
  async ({ auth, url, requestId }) => {
    assertOperatorCan(auth, "ops:read");
    const query = parseQuery(url, jobRunListQuery);
    const page = await listJobRuns(operatorContext(auth.viewer, { requestId }), toJobRunQuery(query));
    const pii = operatorCan(auth.role, "ops:read_pii");
    return {
      body: { data: page.runs.map((r) => presentJobRun(r, { pii })), next_cursor: encodeJobRunCursor(page.next) },
    };
  },
  { authenticate: operatorAuth },
);
