import { env } from "@/lib/env";
import { route } from "@/lib/http";
import { assertMetricsToken, metricsExposition } from "@/lib/health";

export const dynamic = "force-dynamic";

/** Prometheus text exposition, for a scraper holding METRICS_TOKEN (API.md). */
export const GET = route(async ({ request }) => {
  assertMetricsToken(request.headers.get("authorization"), env().METRICS_TOKEN);
  const { body, contentType } = await metricsExposition();
  return new Response(body, { status: 200, headers: { "content-type": contentType, "cache-control": "no-store" } });
});
