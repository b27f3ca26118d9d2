"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { FLAG_KEYS, setFlag } from "@/lib/flags";
import { runFormAction, type FormState } from "@/lib/http";
import { assertFlagWritable, endBreakGlass, findBreakGlassByToken, startBreakGlass } from "@/lib/ops";
import { clearBreakGlassCookie, operatorAllowed, readBreakGlassCookie, setBreakGlassCookie } from "./operator-context";

const flagForm = z.object({
  key: z.enum(FLAG_KEYS as [string, ...string[]]),
  enabled: z.enum(["true", "false"]),
  reason: z.string().trim().max(500).optional(),
});

/** Turns a flag on or off (ops_admin, audited); incident_mode can be switched while read-only. */
export async function setFlagAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(formData, flagForm, async ({ key, enabled, reason }) => {
    const user = await operatorAllowed("flags:manage");
    const actor = await assertFlagWritable(key, user, await readBreakGlassCookie());
    return setFlag(
      key as (typeof FLAG_KEYS)[number],
      { enabled: enabled === "true", reason: reason || undefined },
      actor,
    );
  });
  if (state.status !== "success") return { ...state, result: undefined };
  // The banner in the cockpit layout changes with incident_mode.
  revalidatePath("/admin", "layout");
  return { status: "success", message: "Saved." };
}

const startForm = z.object({
  reason: z.string().trim().min(10, "Say why in at least 10 characters.").max(500),
  ttl_minutes: z.coerce.number().int().min(5).max(240).default(30),
});

/** Starts break-glass for the signed-in ops_admin and keeps the token in the /admin cookie only. */
export async function startBreakGlassAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(formData, startForm, async (input) => {
    const user = await operatorAllowed("break_glass:start");
    const session = await startBreakGlass(user, input);
    await setBreakGlassCookie(session.token, session.expiresAt);
    return session.id;
  });
  if (state.status !== "success") return { ...state, result: undefined };
  revalidatePath("/admin", "layout");
  return { status: "success", message: "Break-glass started." };
}

/** Ends a break-glass session (ops_admin, audited) and forgets this browser's token. */
export async function endBreakGlassAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(formData, z.object({ id: z.string().uuid() }), async ({ id }) => {
    const user = await operatorAllowed("break_glass:start");
    await endBreakGlass(id, user);
    const mine = await readBreakGlassCookie();
    if (mine && (await findBreakGlassByToken(mine))?.id === id) await clearBreakGlassCookie();
  });
  if (state.status !== "success") return { ...state, result: undefined };
  revalidatePath("/admin", "layout");
  return { status: "success", message: "Break-glass ended." };
}
