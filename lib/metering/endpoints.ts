import { z } from "zod";
import { PLAN_IDS } from "@/lib/plans";
import { defineEndpoint } from "@/lib/http";
import { usageReport, type UsageReport } from "./quota";

const usageBodySchema = z
  .object({
    plan: z.enum(PLAN_IDS),
    quota_monthly: z.int().describe("The month's allowance of metered calls."),
    quota_remaining: z.int().describe("What is left of it; renews at `period_end`."),
    credits_remaining: z.int().describe("Bought or granted credits: spent after the allowance, never expire."),
    period_start: z.iso.datetime(),
    period_end: z.iso.datetime(),
  })
  .meta({ title: "Usage" }) satisfies z.ZodType<UsageReport>;

export const usageEndpoint = defineEndpoint({
  name: "getUsage",
  method: "GET",
  path: "/api/v1/usage",
  auth: "apiKey",
  summary: "The organisation's plan and quota for the current period.",
  description: "Not metered.",
  success: { status: 200, body: usageBodySchema },
  problems: [],
  handle: async ({ ctx }) => ({ body: await usageReport(ctx) }),
});
