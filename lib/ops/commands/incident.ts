import { z } from "zod";
import { FLAG_KEYS, setFlag, setFlagSchema } from "@/lib/flags";
import { endBreakGlass, startBreakGlass, startBreakGlassSchema } from "../break-glass";
import { defineOperatorCommand } from "./define";

/**
 * Sets a flag. Turning incident mode on or off is exempt from read-only: it must be possible to
 * end it while it is on, and turning it on is what an operator does when something is wrong.
 */
export const setFeatureFlag = defineOperatorCommand({
  name: "flags.set",
  permission: "flags:manage",
  writes: ({ key }) => key !== "incident_mode",
  audit: "ops.flag.updated",
  params: z.object({ key: z.enum(FLAG_KEYS) }),
  notFound: "feature flag",
  body: setFlagSchema,
  run: (ctx, { key, ...body }) => setFlag(ctx, key, body),
  answer: (flag) => ({
    body: {
      key: flag.key,
      enabled: flag.enabled,
      reason: flag.reason,
      updated_at: flag.updatedAt?.toISOString() ?? null,
      updated_by: flag.updatedBy,
    },
  }),
});

/**
 * Starts a break-glass session: allowed in incident mode, that is its point. The token is in the
 * API's answer only; the cockpit keeps it in its /admin cookie.
 */
export const openBreakGlass = defineOperatorCommand({
  name: "break-glass.start",
  permission: "break_glass:start",
  writes: false,
  audit: "ops.break_glass.started",
  params: z.object({}),
  notFound: "break-glass session",
  body: startBreakGlassSchema,
  run: (ctx, body) => startBreakGlass(ctx, body),
  answer: (session) => ({
    status: 201,
    body: { id: session.id, token: session.token, expires_at: session.expiresAt.toISOString() },
  }),
});

/** Ends a break-glass session early; allowed in incident mode, it only takes power away. */
export const closeBreakGlass = defineOperatorCommand({
  name: "break-glass.end",
  permission: "break_glass:start",
  writes: false,
  audit: "ops.break_glass.ended",
  params: z.object({ id: z.string().uuid() }),
  notFound: "break-glass session",
  run: (ctx, { id }) => endBreakGlass(ctx, id),
  answer: (ended) => ({ body: { id: ended.id, ended_at: ended.endedAt!.toISOString() } }),
});
