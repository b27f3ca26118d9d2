"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireViewer } from "@/lib/auth/next";
import { runFormAction } from "@/lib/http";
import { markNotRelevant, unmarkNotRelevant } from "@/lib/relevance";

// Where a mark or an undo returns the member: a page of ours that lists matches or a notice's page, never another site.
const RETURN_PATHS = ["/opportunities", "/onboarding", "/settings/not-relevant"];
const NOTICE_PAGE = /^\/opportunities\/[A-Za-z0-9_-]{1,100}$/;
const returnTo = z
  .string()
  .max(2000)
  .optional()
  .transform((value) => {
    const url = new URL(value || "/opportunities", "http://beacon.invalid");
    return url.origin === "http://beacon.invalid" &&
      (RETURN_PATHS.includes(url.pathname) || NOTICE_PAGE.test(url.pathname))
      ? `${url.pathname}${url.search}`
      : "/opportunities";
  });

const noticeForm = z.object({ notice_id: z.string().min(1).max(200), return_to: returnTo });

async function member(path: string) {
  const viewer = await requireViewer(path);
  return { orgId: viewer.org.id, actor: { userId: viewer.user.id, role: viewer.org.role } };
}

function revalidateMatches() {
  revalidatePath("/opportunities");
  revalidatePath("/onboarding");
  revalidatePath("/settings/not-relevant");
}

/**
 * The "Not relevant" button on a match: one click, no client code. The member returns to the
 * list, without the notice, and with an Undo for it (`undo=` in the URL).
 */
export async function notRelevantAction(formData: FormData): Promise<void> {
  const { orgId, actor } = await member("/opportunities");
  const state = await runFormAction(formData, noticeForm, async (input) => {
    await markNotRelevant(orgId, actor, input.notice_id);
    return input;
  });
  if (state.status !== "success" || !state.result) return;
  revalidateMatches();
  const back = new URL(state.result.return_to, "http://beacon.invalid");
  back.searchParams.set("undo", state.result.notice_id);
  redirect(`${back.pathname}${back.search}`);
}

/** Undo, and Restore on the list of marks: the notice is a match again. */
export async function undoNotRelevantAction(formData: FormData): Promise<void> {
  const { orgId, actor } = await member("/opportunities");
  const state = await runFormAction(formData, noticeForm, async (input) => {
    await unmarkNotRelevant(orgId, actor, input.notice_id);
    return input;
  });
  if (state.status !== "success" || !state.result) return;
  revalidateMatches();
  redirect(state.result.return_to);
}
