import { z } from "zod";
// The inner file, not lib/http's index: that index reaches the logger, which reads this module.
import { parseCidrList } from "./http/cidr";

/**
 * The one place configuration is read. Development gets working defaults; production fails
 * at boot with every missing or placeholder secret listed at once (`assertProductionConfig`).
 */
const booleanString = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  APP_URL: z.string().url().optional(),
  /** The port `npm run dev` / `npm start` listen on; without APP_URL, links follow it. */
  PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  AUTH_SECRET: z.string().optional(),
  DATABASE_URL: z.string().optional(),
  PGLITE_DATA_DIR: z.string().default(".data/pglite"),
  AUTO_MIGRATE: z.enum(["true", "false"]).optional(),
  SEED_DEMO_DATA: z.enum(["true", "false"]).optional(),
  REDIS_URL: z.string().optional(),
  UPSTASH_REDIS_REST_URL: z.string().optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().optional(),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  STRIPE_PRICE_STARTER: z.string().optional(),
  STRIPE_PRICE_PRO: z.string().optional(),
  STRIPE_PRICE_ENTERPRISE: z.string().optional(),
  STRIPE_PRICE_CREDITS: z.string().optional(),
  STRIPE_API_BASE_URL: z.string().optional(),
  SAM_API_KEY: z.string().optional(),
  SAM_API_BASE_URL: z.string().default("https://api.sam.gov/opportunities/v2/search"),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default("Beacon <no-reply@beacon.local>"),
  INNGEST_EVENT_KEY: z.string().optional(),
  INNGEST_SIGNING_KEY: z.string().optional(),
  INNGEST_SIGNING_KEY_FALLBACK: z.string().optional(),
  INNGEST_DEV: z.string().optional(),
  INNGEST_BASE_URL: z.string().optional(),
  /** `true` makes /api/readyz answer 503 while a scheduled function's heartbeat is stale. */
  JOB_HEARTBEAT_REQUIRED: booleanString,
  METRICS_TOKEN: z.string().optional(),
  ADMIN_READ_ONLY: booleanString,
  OUTBOX_MAX_ATTEMPTS: positiveInt(8),
  /** Consecutive failures to one destination (SMTP, a webhook origin) that open its circuit. */
  OUTBOX_CIRCUIT_FAILURES: positiveInt(5),
  /** How long an open circuit first waits before one probe delivery; doubles with each re-opening… */
  OUTBOX_CIRCUIT_OPEN_MS: positiveInt(60_000),
  /** …up to this. */
  OUTBOX_CIRCUIT_OPEN_MAX_MS: positiveInt(15 * 60_000),
  /** Signs outgoing webhooks (`Beacon-Signature`); unset = sent unsigned. */
  OUTBOX_WEBHOOK_SECRET: z.string().optional(),
  /**
   * Lets notification channels post to http://127.0.0.1 / localhost (the journeys' receiver).
   * Refused in production unless APP_URL itself is on this machine (see productionConfigProblems).
   */
  CHANNEL_LOOPBACK_URLS: booleanString,
  /** Slack-compatible incoming-webhook URL for ops alerts (its path is a credential: redacted). */
  OPS_ALERT_WEBHOOK_URL: z.string().url().optional(),
  /** Where ops alerts are e-mailed (optional, beside or instead of the webhook). */
  OPS_ALERT_EMAIL: z.string().email().optional(),
  RETENTION_JOB_EVENTS_DAYS: positiveInt(30),
  RETENTION_USAGE_EVENTS_DAYS: positiveInt(400),
  RETENTION_WEBHOOK_EVENTS_DAYS: positiveInt(90),
  RETENTION_OUTBOX_DAYS: positiveInt(30),
  RETENTION_NOTICE_HISTORY_DAYS: positiveInt(730),
  /** Database queries taking at least this long are logged (warn) with the request id. */
  SLOW_QUERY_MS: positiveInt(1000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  CORS_ALLOWED_ORIGINS: z.string().optional(),
  // Proxies in front of Beacon that append to X-Forwarded-For; 0 = exposed directly (lib/http/client-ip).
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Comma-separated IPv4/IPv6 CIDRs allowed to reach /admin and /api/admin; unset = everyone. */
  ADMIN_IP_ALLOWLIST_CIDRS: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      try {
        if (value) parseCidrList(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
      }
    }),
  // Sign-ups allowed per client IP per hour (lib/ratelimit/auth-limits).
  RATE_LIMIT_SIGN_UPS_PER_IP_PER_HOUR: positiveInt(10),
  /** Namespace of the limiter's keys in a shared Redis (one per environment sharing it). */
  RATE_LIMIT_KEY_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/)
    .default("beacon:rl"),
});

export type Env = z.infer<typeof schema>;

/** Names whose values are secrets: never logged, never shown (config viewer shows `<redacted>`). */
export const SECRET_NAMES = [
  "AUTH_SECRET",
  "DATABASE_URL",
  "REDIS_URL",
  "UPSTASH_REDIS_REST_TOKEN",
  "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
  "SAM_API_KEY",
  "SMTP_URL",
  "INNGEST_EVENT_KEY",
  "INNGEST_SIGNING_KEY",
  "INNGEST_SIGNING_KEY_FALLBACK",
  "METRICS_TOKEN",
  "OUTBOX_WEBHOOK_SECRET",
  "OPS_ALERT_WEBHOOK_URL",
] as const satisfies readonly (keyof Env)[];

// A fixed secret is fine for local development only; production refuses it.
const DEVELOPMENT_AUTH_SECRET = "beacon-development-secret-not-for-production-use";

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= readEnv();
  return cached;
}

/** For tests that change process.env. */
export function resetEnvCache() {
  cached = undefined;
}

/** Public base URL without a trailing slash. */
export function appUrl(e: Env = env()) {
  return (e.APP_URL ?? `http://localhost:${e.PORT ?? 3000}`).replace(/\/+$/, "");
}

export function isProduction(e: Env = env()) {
  return e.NODE_ENV === "production";
}

export function authSecret(e: Env = env()): string {
  if (e.AUTH_SECRET) return e.AUTH_SECRET;
  if (isProduction(e)) throw new Error("AUTH_SECRET is required in production");
  return DEVELOPMENT_AUTH_SECRET;
}

/** INNGEST_DEV as the Inngest SDK reads it: "1", "true" or a dev server URL; "0"/"false"/unset is cloud mode. */
export function inngestDevMode(e: Env = env()) {
  const v = e.INNGEST_DEV?.trim().toLowerCase();
  return Boolean(v) && v !== "0" && v !== "false";
}

const PLACEHOLDER =
  /^(|changeme|change-me|replace-?me|placeholder|secret|password|todo|xxx+|your[-_].*|<.*>|example.*|dummy|test)$/i;

export function looksLikePlaceholder(value: string | undefined) {
  if (value === undefined) return true;
  const v = value.trim();
  return PLACEHOLDER.test(v) || v === DEVELOPMENT_AUTH_SECRET || /_placeholder$|^sk_(test|live)_x+$/i.test(v);
}

/** A production build reached only from this machine (the browser journeys): APP_URL is a loopback address. */
function servesOnlyThisMachine(e: Env) {
  if (!e.APP_URL) return false;
  const host = new URL(e.APP_URL).hostname;
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]";
}

/** Every problem that makes this configuration unsafe to run in production. */
export function productionConfigProblems(e: Env): string[] {
  const problems: string[] = [];
  const requireSecret = (name: keyof Env, why: string) => {
    const value = e[name] as string | undefined;
    if (value === undefined || value === "") problems.push(`${name} is missing (${why})`);
    else if (looksLikePlaceholder(value)) problems.push(`${name} is a placeholder value (${why})`);
  };
  requireSecret("AUTH_SECRET", "signs sessions and tokens");
  if (e.AUTH_SECRET && e.AUTH_SECRET.length < 32 && !looksLikePlaceholder(e.AUTH_SECRET)) {
    problems.push("AUTH_SECRET is shorter than 32 characters");
  }
  requireSecret("METRICS_TOKEN", "protects /api/metrics");
  requireSecret("STRIPE_SECRET_KEY", "billing");
  requireSecret("STRIPE_WEBHOOK_SECRET", "verifies Stripe webhooks");
  // Unsigned calls to /api/inngest could run any background function; only a dev server setup skips signing.
  if (!inngestDevMode(e))
    requireSecret(
      "INNGEST_SIGNING_KEY",
      "verifies calls from Inngest to /api/inngest; set INNGEST_DEV=1 only with a dev server",
    );
  if (!e.APP_URL) problems.push("APP_URL is missing (links in e-mails and redirects need the public URL)");
  const origins = (e.CORS_ALLOWED_ORIGINS ?? "").split(",").map((o) => o.trim());
  if (e.CHANNEL_LOOPBACK_URLS && !servesOnlyThisMachine(e))
    problems.push("CHANNEL_LOOPBACK_URLS is true: channels could post to this machine's own services");
  if (origins.includes("*")) problems.push("CORS_ALLOWED_ORIGINS is '*', which is unsafe with credentialed requests");
  return problems;
}

/** Called once at server boot: in production, refuses to start with an unsafe configuration. */
export function assertProductionConfig(e: Env = env()) {
  if (!isProduction(e)) return;
  const problems = productionConfigProblems(e);
  if (problems.length > 0) {
    throw new Error(`Beacon refuses to start in production:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Configuration as operators may see it: secrets present are shown as `<redacted>`. */
export function redactedConfig(e: Env = env()): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [name, value] of Object.entries(e)) {
    if ((SECRET_NAMES as readonly string[]).includes(name)) out[name] = value ? "<redacted>" : null;
    else out[name] = (value as string | number | boolean | undefined) ?? null;
  }
  return out;
}
