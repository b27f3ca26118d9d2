import { stripeWebhookRoute } from "@/lib/billing";

export const dynamic = "force-dynamic";

export const POST = stripeWebhookRoute;
