import { memberAuth } from "@/lib/auth";
import { parseQuery, route } from "@/lib/http";
import { exportPipelineCsv, pipelineFilterSchema } from "@/lib/pipeline";

export const dynamic = "force-dynamic";

/** The tracked notices matching the list's filters, as a CSV attachment. */
export const GET = route(
  async ({ auth, url }) => {
    const { filename, csv } = await exportPipelineCsv(auth.orgId, auth.actor, parseQuery(url, pipelineFilterSchema));
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
  { authenticate: memberAuth },
);
