"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireMember } from "@/lib/auth/next";
import { runFormAction } from "@/lib/http";
import { markNotRelevant, relevanceReturnPath, unmarkNotRelevant } from "@/lib/relevance";

// Where the member returns: a page that lists matches, or the notice's page (never another site).
const returnTo = z
  .string()
  .max(2000)
  .optional()
  .transform((value) => relevanceReturnPath(value));

const noticeForm = z.object({ notice_id: z.string().min(1).max(200), return_to: returnTo });

function revalidateMatches() {
  revalidatePath("/opportunities");
  revalidatePath("/onboarding/matches");
  revalidatePath("/settings/not-relevant");
}

/**
 * The "Not relevant" button on a match: one click, no client code. The member returns to the
 * list, without the notice, and with an Undo for it (`undo=` in the URL).
 */
export async function notRelevantAction(formData: FormData): Promise<void> {
  const { ctx } = await requireMember("/opportunities");
  const state = await runFormAction(formData, noticeForm, async (input) => {
    await markNotRelevant(ctx, input.notice_id);
    return input;
  });
  if (state.status !== "success" || !state.result) return;
  revalidateMatches();
  redirect(relevanceReturnPath(state.result.return_to, state.result.notice_id));
}

/** Undo, and Restore on the list of marks: the notice is a match again. */
export async function undoNotRelevantAction(formData: FormData): Promise<void> {
  const { ctx } = await requireMember("/opportunities");
  const state = await runFormAction(formData, noticeForm, async (input) => {
    await unmarkNotRelevant(ctx, input.notice_id);
    return input;
  });
  if (state.status !== "success" || !state.result) return;
  revalidateMatches();
  redirect(state.result.return_to);
}
