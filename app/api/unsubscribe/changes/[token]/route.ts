import { oneClickUnsubscribeRoutes } from "@/lib/http";
import {
  changeUnsubscribedPage,
  changeUnsubscribePage,
  describeChangeUnsubscribe,
  unsubscribeChangeEmails,
} from "@/lib/pipeline";

export const dynamic = "force-dynamic";

/** A "what changed" e-mail's unsubscribe link (lib/pipeline/change-unsubscribe.ts): POST turns the person's off. */
const routes = oneClickUnsubscribeRoutes({
  describe: describeChangeUnsubscribe,
  confirmPage: changeUnsubscribePage,
  unsubscribe: unsubscribeChangeEmails,
  donePage: () => changeUnsubscribedPage(),
  answer: () => ({ status: "unsubscribed", change_emails: false }),
});
export const GET = routes.GET;
export const POST = routes.POST;
