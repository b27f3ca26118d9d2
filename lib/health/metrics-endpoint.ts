import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "@/lib/http";
import { metrics } from "@/lib/observability";
import { registerDatabaseCollectors } from "./database-metrics";

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/**
 * `Authorization: Bearer <METRICS_TOKEN>` or 401. Compared in constant time (on digests, so the
 * length of the token leaks nothing either). With no token configured nothing is exposed:
 * production refuses to boot without one, and development gets 401 until one is set.
 */
export function assertMetricsToken(authorization: string | null, configuredToken: string | undefined) {
  const presented = /^Bearer (.+)$/i.exec(authorization?.trim() ?? "")?.[1]?.trim() ?? "";
  const expected = configuredToken?.trim() ?? "";
  const ok = expected !== "" && presented !== "" && timingSafeEqual(digest(presented), digest(expected));
  if (!ok) {
    throw new AppError(
      "unauthorized",
      expected === ""
        ? "Metrics are disabled: set METRICS_TOKEN to expose them."
        : "A valid metrics bearer token is required.",
      {
        headers: { "www-authenticate": 'Bearer realm="metrics"' },
      },
    );
  }
}

/** The Prometheus text exposition of every metric, database-derived ones read now. */
export async function metricsExposition(): Promise<{ body: string; contentType: string }> {
  registerDatabaseCollectors();
  const { registry } = metrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
