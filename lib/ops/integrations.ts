import { env, inngestDevMode, isProduction, type Env } from "@/lib/env";

export type IntegrationState = "configured" | "partial" | "not_configured";

export interface IntegrationStatus {
  id: "smtp" | "stripe" | "inngest" | "app_url" | "ops_alerts" | "sam_gov";
  name: string;
  state: IntegrationState;
  /** The variables that configure it (names only: the config viewer never shows a secret). */
  variables: string[];
  /** Variables still unset, when some are. */
  missing: string[];
  /** What does not work while it is not (fully) configured; null once it is. */
  withoutIt: string | null;
}

type Check = Omit<IntegrationStatus, "state" | "missing" | "withoutIt"> & {
  /** All of these set = configured; none = not configured; some = partial. */
  required: (keyof Env)[];
  /** Set = configured even if `required` is not (e.g. Inngest's dev mode needs no keys). */
  alternative?: (e: Env) => boolean;
  withoutIt: string;
  partially?: (missing: string[]) => string;
};

const STRIPE_VARIABLES = [
  "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
  "STRIPE_PRICE_STARTER",
  "STRIPE_PRICE_PRO",
  "STRIPE_PRICE_ENTERPRISE",
  "STRIPE_PRICE_CREDITS",
] satisfies (keyof Env)[];

const CHECKS: Check[] = [
  {
    id: "smtp",
    name: "E-mail delivery (SMTP)",
    variables: ["SMTP_URL", "MAIL_FROM"],
    required: ["SMTP_URL"],
    withoutIt:
      "No e-mail leaves Beacon: sign-in links, invitations, alert e-mails, digests and dunning notices are stored and logged (see the E-mails page) but never delivered.",
  },
  {
    id: "stripe",
    name: "Payments (Stripe)",
    variables: STRIPE_VARIABLES,
    required: STRIPE_VARIABLES,
    withoutIt:
      "Nobody can buy a plan or credits, the billing portal is closed, Stripe webhooks are refused and the accounting export cannot read invoices; every organisation stays on Free.",
    partially: (missing) => {
      const prices = missing.filter((m) => m.startsWith("STRIPE_PRICE_"));
      const parts = [];
      if (missing.includes("STRIPE_SECRET_KEY"))
        parts.push("checkout, the billing portal and invoice reads fail (STRIPE_SECRET_KEY)");
      if (missing.includes("STRIPE_WEBHOOK_SECRET"))
        parts.push("Stripe webhooks are refused, so payments never change a plan (STRIPE_WEBHOOK_SECRET)");
      if (prices.length)
        parts.push(
          `these cannot be bought: ${prices.map((p) => p.replace("STRIPE_PRICE_", "").toLowerCase()).join(", ")}`,
        );
      return `${parts.join("; ")}.`;
    },
  },
  {
    id: "inngest",
    name: "Background functions (Inngest)",
    variables: ["INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY", "INNGEST_DEV", "INNGEST_BASE_URL"],
    required: ["INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY"],
    // Outside production functions run without keys: a dev server, or the in-process executor.
    alternative: (e) => inngestDevMode(e) || !isProduction(e),
    withoutIt:
      "In production Inngest cannot call /api/inngest (unsigned calls are refused) nor receive Beacon's events: ingestion, alert e-mails and digests, outbox delivery, dunning, quota resets, retention and ops alerts never run and heartbeats go stale. Development needs no keys: the Inngest dev server when one runs, otherwise the same functions in-process.",
    partially: (missing) =>
      missing.includes("INNGEST_EVENT_KEY")
        ? "Events Beacon sends (new opportunities → instant alerts, re-runs, cancels) are not accepted by Inngest (INNGEST_EVENT_KEY)."
        : "Calls from Inngest to /api/inngest are refused, so no background function runs (INNGEST_SIGNING_KEY).",
  },
  {
    id: "app_url",
    name: "Public URL (APP_URL)",
    variables: ["APP_URL"],
    required: ["APP_URL"],
    withoutIt:
      "Links in e-mails (sign-in, invitations, alerts, unsubscribe) and payment redirects point at http://localhost:3000.",
  },
  {
    id: "ops_alerts",
    name: "Ops alert notifications",
    variables: ["OPS_ALERT_WEBHOOK_URL", "OPS_ALERT_EMAIL"],
    required: ["OPS_ALERT_WEBHOOK_URL", "OPS_ALERT_EMAIL"],
    // Either channel is enough: the other is optional.
    alternative: (e) => Boolean(e.OPS_ALERT_WEBHOOK_URL || e.OPS_ALERT_EMAIL),
    withoutIt:
      "Ops alerts (stuck customers, stale heartbeats, failure rates, dead letters) open on the cockpit's Alerts page only: nobody is notified.",
  },
  {
    id: "sam_gov",
    name: "SAM.gov opportunities",
    variables: ["SAM_API_KEY", "SAM_API_BASE_URL"],
    required: ["SAM_API_KEY"],
    withoutIt:
      "No live notices: ingestion cannot call SAM.gov, so search, matches and alerts work on the bundled sample notices only.",
  },
];

const isSet = (e: Env, name: keyof Env) => {
  const value = e[name];
  return value !== undefined && value !== null && value !== "";
};

/**
 * Which integrations this process can use and what stops working without each, for the config
 * viewer. Answers only from whether variables are set: it never reads, returns or logs a value.
 */
export function integrationStatus(e: Env = env()): IntegrationStatus[] {
  return CHECKS.map((check) => {
    const missing = check.required.filter((name) => !isSet(e, name));
    const viaAlternative = check.alternative?.(e) ?? false;
    const state: IntegrationState =
      missing.length === 0 || viaAlternative
        ? "configured"
        : missing.length === check.required.length
          ? "not_configured"
          : "partial";
    return {
      id: check.id,
      name: check.name,
      state,
      variables: check.variables,
      missing: state === "configured" ? [] : missing,
      withoutIt:
        state === "configured"
          ? null
          : state === "partial" && check.partially
            ? check.partially(missing)
            : check.withoutIt,
    };
  });
}
