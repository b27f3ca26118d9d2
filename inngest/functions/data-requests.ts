import { dataDeletionRequested, inngest } from "@/inngest/client";
import { inOrg } from "@/lib/context";
import { getDataRequest, pendingDataRequest, processDataRequest } from "@/lib/retention";
import { FUNCTION_DEFAULTS } from "./defaults";
import { systemRunContext } from "./system-run";

/**
 * Processes an org's pending deletion request (`data.request_id` when the sender knows it,
 * otherwise the org's oldest pending one). One run per org at a time; the claim inside
 * processDataRequest makes a duplicate event a no-op. The daily retention run is the safety net.
 */
export const dataRequestsFunction = inngest.createFunction(
  {
    ...FUNCTION_DEFAULTS,
    id: "data-requests",
    name: "Data deletion requests",
    triggers: [dataDeletionRequested],
    concurrency: { key: "event.data.org_id", limit: 1 },
  },
  async ({ event, step, runId }) => {
    const orgId = event.data.org_id;
    const requestId = typeof event.data.request_id === "string" ? event.data.request_id : null;
    return step.run("process-deletion", async () => {
      const ctx = systemRunContext("retention", { runId });
      const request = requestId
        ? await getDataRequest(ctx, requestId)
        : await pendingDataRequest(inOrg(ctx, orgId), "deletion");
      if (!request || request.orgId !== orgId || request.kind !== "deletion")
        return { status: "nothing_pending" as const };
      return processDataRequest(ctx, request.id);
    });
  },
);
