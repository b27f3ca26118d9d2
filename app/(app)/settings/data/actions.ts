"use server";

import { revalidatePath } from "next/cache";
import { requireMember } from "@/lib/auth/next";
import { runFormAction, type FormState } from "@/lib/http";
import { DATA_SETTINGS_PATH, dataRequestInputSchema, requestOwnData } from "@/lib/retention";

/** Both forms of Settings → Data: the API's body schema and checks (owner only, typed name, no live subscription). */
export async function requestDataAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { ctx } = await requireMember(DATA_SETTINGS_PATH);
  const state = await runFormAction(formData, dataRequestInputSchema, async (input) => {
    const { request, created } = await requestOwnData(ctx, input);
    return { request, created };
  });
  if (state.status !== "success" || !state.result) return { ...state, result: undefined };
  revalidatePath(DATA_SETTINGS_PATH);
  const { request, created } = state.result;
  if (!created)
    return { status: "success", message: `A ${request.kind} is already ${request.status}; it is listed below.` };
  if (request.kind === "export") {
    return request.status === "completed"
      ? { status: "success", message: "Your export is ready: download it below. We also e-mailed you." }
      : {
          status: "error",
          message: `The export could not be built (${request.error ?? request.status}). Support can retry it.`,
        };
  }
  return {
    status: "success",
    message: "Deletion requested: it runs in the background within minutes, and you will be signed out.",
  };
}
