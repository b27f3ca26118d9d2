import { problemResponse, route } from "@/lib/http";
import { checkReadiness } from "@/lib/health";

export const dynamic = "force-dynamic";

export const GET = route(async ({ requestId }) => {
  const readiness = await checkReadiness();
  const stale = { stale_heartbeats: readiness.staleHeartbeats };
  if (readiness.ready) return { body: { status: "ready", checks: readiness.checks, ...stale } };
  const failing = Object.entries(readiness.checks)
    .filter(([, s]) => s === "failing")
    .map(([name]) => name);
  return problemResponse("not_ready", `Not ready: ${failing.join(", ")} failing.`, requestId, {
    extra: { checks: readiness.checks, ...stale },
  });
});
