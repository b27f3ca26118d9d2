import type { Env } from "@/lib/env";

export type PlanId = "free" | "starter" | "pro" | "enterprise";
export type RateLimitTier = "basic" | "standard" | "high" | "dedicated";

export interface Plan {
  id: PlanId;
  name: string;
  tagline: string;
  /** Integer cents per month; null = priced on request. */
  monthlyPriceCents: number | null;
  monthlyApiQuota: number;
  /** Alerts that may run at once; past it the oldest ones run and the rest are paused for the plan. */
  maxAlerts: number;
  /** Whether alerts may use the `instant` frequency (every plan does today: see the pricing copy). */
  instantAlerts: boolean;
  /** The bid pipeline: tracked notices, deadline reminders and the calendar feed. */
  pipeline: boolean;
  /** "What changed" e-mails on the notices an org follows (tracked, or sent by its alerts). */
  changeTracking: boolean;
  /** Team channels: alerts and "what changed" notices posted to Slack, Microsoft Teams or a signed webhook. */
  channels: boolean;
  maxSeats: number;
  rateLimitTier: RateLimitTier;
  /** Requests per minute per API key for the tier. */
  requestsPerMinute: number;
  features: string[];
  /** Which env variable holds the Stripe price id (free has none). */
  stripePriceEnv: keyof Env | null;
}

/** The one plan table. Pricing page, entitlements and billing all read it. */
export const PLANS: readonly Plan[] = [
  {
    id: "free",
    name: "Free",
    tagline: "Try Beacon on your own business.",
    monthlyPriceCents: 0,
    monthlyApiQuota: 100,
    maxAlerts: 1,
    instantAlerts: true,
    pipeline: false,
    changeTracking: false,
    channels: false,
    maxSeats: 1,
    rateLimitTier: "basic",
    requestsPerMinute: 10,
    features: [
      "1 saved alert: instant, daily or weekly",
      "Full-text search of open opportunities",
      "100 API calls a month",
    ],
    stripePriceEnv: null,
  },
  {
    id: "starter",
    name: "Starter",
    tagline: "For a contractor bidding every month.",
    monthlyPriceCents: 2900,
    monthlyApiQuota: 5_000,
    maxAlerts: 10,
    instantAlerts: true,
    pipeline: true,
    changeTracking: true,
    channels: false,
    maxSeats: 3,
    rateLimitTier: "standard",
    requestsPerMinute: 60,
    features: [
      "10 alerts, including instant alerts",
      "Bid pipeline with deadline reminders and a calendar feed",
      "“What changed” e-mails when a followed notice is amended or awarded",
      "3 team seats",
      "5,000 API calls a month",
      "E-mail support",
    ],
    stripePriceEnv: "STRIPE_PRICE_STARTER",
  },
  {
    id: "pro",
    name: "Pro",
    tagline: "For teams with a capture pipeline.",
    monthlyPriceCents: 9900,
    monthlyApiQuota: 50_000,
    maxAlerts: 100,
    instantAlerts: true,
    pipeline: true,
    changeTracking: true,
    channels: true,
    maxSeats: 10,
    rateLimitTier: "high",
    requestsPerMinute: 300,
    features: [
      "100 alerts",
      "Bid pipeline with deadline reminders and a calendar feed",
      "“What changed” e-mails when a followed notice is amended or awarded",
      "Alerts in Slack, Microsoft Teams or your own signed webhook",
      "10 team seats",
      "50,000 API calls a month",
      "Credit packs for busy months",
      "Priority support",
    ],
    stripePriceEnv: "STRIPE_PRICE_PRO",
  },
  {
    id: "enterprise",
    name: "Enterprise",
    tagline: "For firms that live on federal work.",
    monthlyPriceCents: 49900,
    monthlyApiQuota: 500_000,
    maxAlerts: 1_000,
    instantAlerts: true,
    pipeline: true,
    changeTracking: true,
    channels: true,
    maxSeats: 100,
    rateLimitTier: "dedicated",
    requestsPerMinute: 1_200,
    features: [
      "1,000 alerts",
      "Bid pipeline with deadline reminders and a calendar feed",
      "“What changed” e-mails when a followed notice is amended or awarded",
      "Alerts in Slack, Microsoft Teams or your own signed webhook",
      "100 team seats",
      "500,000 API calls a month",
      "Dedicated rate limits",
      "Named account manager",
    ],
    stripePriceEnv: "STRIPE_PRICE_ENTERPRISE",
  },
] as const;

/** Days of free trial on a first paid subscription: once per organisation, ever. */
export const TRIAL_DAYS = 7;

export const PLAN_IDS = PLANS.map((p) => p.id) as [PlanId, ...PlanId[]];

export function planById(id: PlanId): Plan {
  const plan = PLANS.find((p) => p.id === id);
  if (!plan) throw new Error(`Unknown plan ${id}`);
  return plan;
}

export function formatMonthlyPrice(plan: Plan): string {
  if (plan.monthlyPriceCents === null) return "Contact us";
  if (plan.monthlyPriceCents === 0) return "$0";
  return `$${(plan.monthlyPriceCents / 100).toLocaleString("en-US", { maximumFractionDigits: 2 })}`;
}
