import { describe, expect, it } from "vitest";
import {
  SECRET_NAMES,
  appUrl,
  assertProductionConfig,
  authSecret,
  productionConfigProblems,
  readEnv,
  redactedConfig,
} from "@/lib/env";

/** A production configuration with nothing wrong in it. */
const GOOD = {
  NODE_ENV: "production",
  APP_URL: "https://beacon.example.com",
  AUTH_SECRET: "k9Vq3xT7mZp2Lw8RbN4cY6hJ1sD5fG0a",
  METRICS_TOKEN: "mt_7Hq2Lx9Pz4Wc8Rv1",
  STRIPE_SECRET_KEY: "sk_live_51HqR2vLx9Pz4Wc8Rv1Ty",
  STRIPE_WEBHOOK_SECRET: "whsec_Qm3Zr8Kp1Vx6Tn2Lb9",
  INNGEST_SIGNING_KEY: "signkey-prod-8f3a9c2e71d04b5a",
} as const;

function problemsFor(overrides: Record<string, string | undefined>) {
  const source: Record<string, string | undefined> = { ...GOOD, ...overrides };
  for (const [k, v] of Object.entries(source)) if (v === undefined) delete source[k];
  return productionConfigProblems(readEnv(source as NodeJS.ProcessEnv));
}

describe("readEnv", () => {
  it("gives working defaults for an empty environment", () => {
    const e = readEnv({});
    expect(e).toMatchObject({
      NODE_ENV: "development",
      PGLITE_DATA_DIR: ".data/pglite",
      SAM_API_BASE_URL: "https://api.sam.gov/opportunities/v2/search",
      MAIL_FROM: "Beacon <no-reply@beacon.local>",
      ADMIN_READ_ONLY: false,
      OUTBOX_MAX_ATTEMPTS: 8,
      OUTBOX_CIRCUIT_FAILURES: 5,
      OUTBOX_CIRCUIT_OPEN_MS: 60_000,
      OUTBOX_CIRCUIT_OPEN_MAX_MS: 900_000,
      RETENTION_JOB_EVENTS_DAYS: 30,
      RETENTION_USAGE_EVENTS_DAYS: 400,
      RETENTION_WEBHOOK_EVENTS_DAYS: 90,
      RETENTION_OUTBOX_DAYS: 30,
      RETENTION_NOTICE_HISTORY_DAYS: 730,
      LOG_LEVEL: "info",
    });
    expect(e.AUTH_SECRET).toBeUndefined();
    expect(e.DATABASE_URL).toBeUndefined();
    expect(appUrl(e)).toBe("http://localhost:3000");
    expect(authSecret(e).length).toBeGreaterThanOrEqual(32);
  });

  it("coerces numbers and booleans", () => {
    const e = readEnv({ OUTBOX_MAX_ATTEMPTS: "3", ADMIN_READ_ONLY: "1", APP_URL: "https://b.example.com///" });
    expect(e.OUTBOX_MAX_ATTEMPTS).toBe(3);
    expect(e.ADMIN_READ_ONLY).toBe(true);
    expect(appUrl(e)).toBe("https://b.example.com");
  });

  it("without APP_URL, links follow the port the server listens on", () => {
    expect(appUrl(readEnv({ PORT: "3100" }))).toBe("http://localhost:3100");
    expect(appUrl(readEnv({ PORT: "3100", APP_URL: "https://beacon.example.com" }))).toBe("https://beacon.example.com");
  });

  it("lists every invalid value in one error", () => {
    let message = "";
    try {
      readEnv({ NODE_ENV: "staging", OUTBOX_MAX_ATTEMPTS: "-1", APP_URL: "not a url" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration/);
    for (const name of ["NODE_ENV", "OUTBOX_MAX_ATTEMPTS", "APP_URL"]) expect(message).toContain(name);
  });

  it("refuses to invent an AUTH_SECRET in production", () => {
    expect(() => authSecret(readEnv({ NODE_ENV: "production" }))).toThrow(/AUTH_SECRET/);
  });
});

describe("productionConfigProblems", () => {
  it("finds nothing wrong with a complete configuration", () => {
    expect(problemsFor({})).toEqual([]);
  });

  it("lists every missing secret at once", () => {
    const problems = productionConfigProblems(
      readEnv({ NODE_ENV: "production", CORS_ALLOWED_ORIGINS: "https://a.example.com, *" }),
    );
    expect(problems).toHaveLength(7);
    const text = problems.join("\n");
    expect(text).toMatch(/AUTH_SECRET is missing/);
    expect(text).toMatch(/METRICS_TOKEN is missing/);
    expect(text).toMatch(/STRIPE_SECRET_KEY is missing/);
    expect(text).toMatch(/STRIPE_WEBHOOK_SECRET is missing/);
    expect(text).toMatch(/APP_URL is missing/);
    expect(text).toMatch(/CORS_ALLOWED_ORIGINS is '\*'/);
    expect(text).toMatch(/INNGEST_SIGNING_KEY is missing/);
  });

  it("needs INNGEST_SIGNING_KEY unless INNGEST_DEV names a dev server", () => {
    expect(problemsFor({ INNGEST_SIGNING_KEY: undefined }).join("\n")).toMatch(/INNGEST_SIGNING_KEY is missing/);
    expect(problemsFor({ INNGEST_SIGNING_KEY: undefined, INNGEST_DEV: "0" }).join("\n")).toMatch(
      /INNGEST_SIGNING_KEY is missing/,
    );
    expect(problemsFor({ INNGEST_SIGNING_KEY: "changeme" }).join("\n")).toMatch(/INNGEST_SIGNING_KEY is a placeholder/);
    expect(problemsFor({ INNGEST_SIGNING_KEY: undefined, INNGEST_DEV: "1" })).toEqual([]);
    expect(problemsFor({ INNGEST_SIGNING_KEY: undefined, INNGEST_DEV: "http://inngest:8288" })).toEqual([]);
  });

  it("reads JOB_HEARTBEAT_REQUIRED as a boolean and redacts Inngest keys", () => {
    expect(readEnv({}).JOB_HEARTBEAT_REQUIRED).toBe(false);
    expect(readEnv({ JOB_HEARTBEAT_REQUIRED: "true" }).JOB_HEARTBEAT_REQUIRED).toBe(true);
    const shown = redactedConfig(
      readEnv({
        INNGEST_EVENT_KEY: "ek_1",
        INNGEST_SIGNING_KEY: "signkey-prod-1",
        INNGEST_BASE_URL: "http://inngest:8288",
      }),
    );
    expect(shown).toMatchObject({
      INNGEST_EVENT_KEY: "<redacted>",
      INNGEST_SIGNING_KEY: "<redacted>",
      INNGEST_BASE_URL: "http://inngest:8288",
    });
  });

  it.each([
    ["AUTH_SECRET", "changeme", /AUTH_SECRET is a placeholder/],
    ["AUTH_SECRET", "beacon-development-secret-not-for-production-use", /AUTH_SECRET is a placeholder/],
    ["AUTH_SECRET", "Xq7pL2vR9z", /AUTH_SECRET is shorter than 32 characters/],
    ["AUTH_SECRET", "", /AUTH_SECRET is missing/],
    ["METRICS_TOKEN", "changeme", /METRICS_TOKEN is a placeholder/],
    ["METRICS_TOKEN", undefined, /METRICS_TOKEN is missing/],
    ["STRIPE_SECRET_KEY", "sk_test_xxxxxxxx", /STRIPE_SECRET_KEY is a placeholder/],
    ["STRIPE_SECRET_KEY", undefined, /STRIPE_SECRET_KEY is missing/],
    ["STRIPE_WEBHOOK_SECRET", "whsec_placeholder", /STRIPE_WEBHOOK_SECRET is a placeholder/],
    ["STRIPE_WEBHOOK_SECRET", undefined, /STRIPE_WEBHOOK_SECRET is missing/],
    ["APP_URL", undefined, /APP_URL is missing/],
    ["CORS_ALLOWED_ORIGINS", "*", /CORS_ALLOWED_ORIGINS is '\*'/],
  ])("%s=%j is reported", (name, value, pattern) => {
    const problems = problemsFor({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(pattern);
  });

  it("CHANNEL_LOOPBACK_URLS is refused in production unless APP_URL is this machine (the browser journeys)", () => {
    expect(problemsFor({ CHANNEL_LOOPBACK_URLS: "true" })).toEqual([
      expect.stringMatching(/CHANNEL_LOOPBACK_URLS is true/),
    ]);
    expect(problemsFor({ CHANNEL_LOOPBACK_URLS: "true", APP_URL: "http://localhost:3310" })).toEqual([]);
    expect(problemsFor({ CHANNEL_LOOPBACK_URLS: "false" })).toEqual([]);
  });

  it("accepts explicit CORS origins", () => {
    expect(problemsFor({ CORS_ALLOWED_ORIGINS: "https://a.example.com,https://b.example.com" })).toEqual([]);
  });
});

describe("assertProductionConfig", () => {
  const BAD = {
    NODE_ENV: "production",
    AUTH_SECRET: "tooShortButSecret-9f8e7d",
    METRICS_TOKEN: "changeme",
    STRIPE_SECRET_KEY: "sk_live_xxxxxxxx",
    STRIPE_WEBHOOK_SECRET: "your-webhook-secret",
  };

  it("throws in production, naming every problem but no secret value", () => {
    let message = "";
    try {
      assertProductionConfig(readEnv(BAD));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/refuses to start in production/);
    for (const name of ["AUTH_SECRET", "METRICS_TOKEN", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "APP_URL"])
      expect(message).toContain(name);
    for (const value of Object.values(BAD).slice(1)) expect(message).not.toContain(value);
  });

  it("does not throw for a complete production configuration", () => {
    expect(() => assertProductionConfig(readEnv({ ...GOOD }))).not.toThrow();
  });

  it.each(["development", "test"])("does not throw in %s even with nothing set", (NODE_ENV) => {
    expect(() => assertProductionConfig(readEnv({ ...BAD, NODE_ENV }))).not.toThrow();
    expect(() => assertProductionConfig(readEnv({ NODE_ENV }))).not.toThrow();
  });
});

describe("redactedConfig", () => {
  it("shows <redacted> for every secret that is set and never its value", () => {
    const source: Record<string, string> = {
      NODE_ENV: "production",
      APP_URL: "https://beacon.example.com",
      MAIL_FROM: "Ops <ops@example.com>",
    };
    const values = new Map<string, string>();
    for (const name of SECRET_NAMES) {
      const value =
        name === "DATABASE_URL"
          ? "postgres://u:pw-DATABASE_URL-91@db:5432/x"
          : name === "OPS_ALERT_WEBHOOK_URL"
            ? "https://hooks.example.com/services/value-of-OPS_ALERT_WEBHOOK_URL-7c1e"
            : `value-of-${name}-7c1e`;
      source[name] = value;
      values.set(name, value);
    }
    const out = redactedConfig(readEnv(source));
    const serialised = JSON.stringify(out);
    for (const name of SECRET_NAMES) {
      expect(out[name], name).toBe("<redacted>");
      expect(serialised).not.toContain(values.get(name)!);
    }
    expect(serialised).not.toContain("pw-DATABASE_URL");
    // Non-secrets stay readable.
    expect(out.APP_URL).toBe("https://beacon.example.com");
    expect(out.MAIL_FROM).toBe("Ops <ops@example.com>");
    expect(out.OUTBOX_MAX_ATTEMPTS).toBe(8);
  });

  it("shows no value for secrets that are not set", () => {
    const out = redactedConfig(readEnv({}));
    for (const name of SECRET_NAMES) expect(out[name] ?? null, name).toBeNull();
    expect(out.PGLITE_DATA_DIR).toBe(".data/pglite");
  });
});
