import { apiKeyAuth } from "@/lib/auth";
import { route } from "@/lib/http";
import { usageReport } from "@/lib/metering";

/** The key's org plan and quota for the current period (API.md). Not metered. */
export const GET = route(async ({ auth }) => ({ body: await usageReport(auth.orgId) }), { authenticate: apiKeyAuth });
