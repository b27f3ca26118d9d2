import * as readyz from "@/app/api/readyz/route";
import * as searchRoute from "@/app/api/v1/opportunities/route";
import * as stripeWebhook from "@/app/api/webhooks/stripe/route";
import { startRouteServer } from "@/tests/support/route-server";

/** The App Router route handlers these scenarios drive, over real HTTP (tests/support/route-server.ts). */
export function startAppServer(port = 0) {
  return startRouteServer(
    { "/api/readyz": readyz, "/api/v1/opportunities": searchRoute, "/api/webhooks/stripe": stripeWebhook },
    port,
  );
}
