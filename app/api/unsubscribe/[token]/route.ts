import { describeUnsubscribe, unsubscribeAlert, unsubscribeConfirmPage, unsubscribedPage } from "@/lib/alerts";
import { oneClickUnsubscribeRoutes } from "@/lib/http";

export const dynamic = "force-dynamic";

/** An alert's unsubscribe link (lib/alerts/unsubscribe.ts): POST pauses the alert. */
const routes = oneClickUnsubscribeRoutes({
  describe: describeUnsubscribe,
  confirmPage: unsubscribeConfirmPage,
  unsubscribe: unsubscribeAlert,
  donePage: unsubscribedPage,
  answer: (target) => ({ alert_ids: target.alerts.map((a) => a.id), status: "unsubscribed" }),
});
export const GET = routes.GET;
export const POST = routes.POST;
