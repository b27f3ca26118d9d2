import { beforeAll, describe, expect, it } from "vitest";
import * as configRoute from "@/app/api/admin/config/route";
import { readEnv } from "@/lib/env";
import { describeEachDatabase } from "@/tests/db";
import { perTestEnv } from "@/tests/env";
import { callRoute, operatorCookies } from "@/tests/route-helpers";
import { integrationStatus, type IntegrationStatus } from "./integrations";

const byId = (list: IntegrationStatus[]) => Object.fromEntries(list.map((i) => [i.id, i]));

const EVERYTHING = {
  SMTP_URL: "smtp://beacon:smtp-pass-V4LUE-1@mail.example.com:587",
  STRIPE_SECRET_KEY: "sk_live_V4LUE-2",
  STRIPE_WEBHOOK_SECRET: "whsec_V4LUE-3",
  STRIPE_PRICE_STARTER: "price_V4LUE-4",
  STRIPE_PRICE_PRO: "price_V4LUE-5",
  STRIPE_PRICE_ENTERPRISE: "price_V4LUE-6",
  STRIPE_PRICE_CREDITS: "price_V4LUE-7",
  INNGEST_SIGNING_KEY: "signkey-prod-V4LUE-8",
  INNGEST_EVENT_KEY: "V4LUE-9",
  APP_URL: "https://beacon.example.com",
  OPS_ALERT_WEBHOOK_URL: "https://hooks.example.com/services/V4LUE-10",
  SAM_API_KEY: "V4LUE-11",
};

describe("integrationStatus", () => {
  it("a bare production installation lists all six as not configured, each with what stops working", () => {
    const list = integrationStatus(readEnv({ NODE_ENV: "production" }));
    expect(list.map((i) => [i.id, i.state])).toEqual([
      ["smtp", "not_configured"],
      ["stripe", "not_configured"],
      ["inngest", "not_configured"],
      ["app_url", "not_configured"],
      ["ops_alerts", "not_configured"],
      ["sam_gov", "not_configured"],
    ]);
    const status = byId(list);
    expect(status.smtp!.withoutIt).toMatch(/never delivered/);
    expect(status.stripe!.withoutIt).toMatch(/Nobody can buy a plan/);
    expect(status.inngest!.withoutIt).toMatch(/never run/);
    expect(status.app_url!.withoutIt).toMatch(/localhost:3000/);
    expect(status.ops_alerts!.withoutIt).toMatch(/nobody is notified/);
    expect(status.sam_gov!.withoutIt).toMatch(/sample notices/);
    expect(status.smtp!.missing).toEqual(["SMTP_URL"]);
  });

  it("everything set: all configured, nothing to warn about, and no value in the answer", () => {
    const list = integrationStatus(readEnv(EVERYTHING));
    expect(list.every((i) => i.state === "configured" && i.withoutIt === null && i.missing.length === 0)).toBe(true);
    expect(JSON.stringify(list)).not.toMatch(/V4LUE/);
  });

  it("partly configured Stripe says exactly what is missing and what that breaks", () => {
    const stripe = byId(
      integrationStatus(readEnv({ STRIPE_SECRET_KEY: "sk_live_V4LUE", STRIPE_PRICE_STARTER: "price_1" })),
    ).stripe!;
    expect(stripe).toMatchObject({
      state: "partial",
      missing: ["STRIPE_WEBHOOK_SECRET", "STRIPE_PRICE_PRO", "STRIPE_PRICE_ENTERPRISE", "STRIPE_PRICE_CREDITS"],
    });
    expect(stripe.withoutIt).toMatch(/webhooks are refused/);
    expect(stripe.withoutIt).toMatch(/cannot be bought: pro, enterprise, credits/);
    expect(stripe.withoutIt).not.toMatch(/billing portal/);
  });

  it("Inngest's dev mode needs no keys, nor does development (functions run in-process); one ops alert channel is enough", () => {
    expect(byId(integrationStatus(readEnv({ NODE_ENV: "development" }))).inngest!.state).toBe("configured");
    const status = byId(
      integrationStatus(readEnv({ NODE_ENV: "production", INNGEST_DEV: "1", OPS_ALERT_EMAIL: "ops@example.com" })),
    );
    expect(status.inngest!.state).toBe("configured");
    expect(status.ops_alerts!.state).toBe("configured");
    expect(
      byId(integrationStatus(readEnv({ NODE_ENV: "production", INNGEST_SIGNING_KEY: "signkey-prod-1" }))).inngest,
    ).toMatchObject({ state: "partial", withoutIt: expect.stringMatching(/INNGEST_EVENT_KEY/) });
  });
});

describeEachDatabase("GET /api/admin/config", () => {
  const setEnv = perTestEnv();
  let cookies: Awaited<ReturnType<typeof operatorCookies>>;
  beforeAll(async () => {
    cookies = await operatorCookies();
  });

  it("lists the integrations that are not configured beside the redacted configuration, never a secret", async () => {
    setEnv({
      ...Object.fromEntries(Object.keys(EVERYTHING).map((k) => [k, undefined])),
      INNGEST_DEV: undefined,
      OPS_ALERT_EMAIL: undefined,
      SMTP_URL: EVERYTHING.SMTP_URL,
      SAM_API_KEY: EVERYTHING.SAM_API_KEY,
    });
    const response = await callRoute(configRoute.GET, { path: "/api/admin/config", cookie: cookies.ops_viewer });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toMatch(/V4LUE/);
    const body = JSON.parse(text) as { config: Record<string, unknown>; integrations: IntegrationStatus[] };
    expect(body.config.SMTP_URL).toBe("<redacted>");
    expect(body.integrations.filter((i) => i.state !== "configured").map((i) => i.id)).toEqual([
      "stripe",
      "app_url",
      "ops_alerts",
    ]);
  });
});
