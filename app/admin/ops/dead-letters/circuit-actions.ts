"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runFormAction, type FormState } from "@/lib/http";
import { retryOutboxCircuit } from "@/lib/outbox";
import { operatorWriter } from "../operator-context";

/** "Retry now" on a paused destination: half-open, so the next delivery run sends one probe there. */
export async function retryCircuitAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(
    formData,
    z.object({ destination: z.string().min(1).max(2_100) }),
    async ({ destination }) => {
      const actor = await operatorWriter("dead_letters:replay");
      await retryOutboxCircuit(destination, actor);
    },
  );
  if (state.status !== "success") return { ...state, result: undefined };
  revalidatePath("/admin/ops/dead-letters");
  return { status: "success", message: "The next delivery run sends one message there as a probe." };
}
