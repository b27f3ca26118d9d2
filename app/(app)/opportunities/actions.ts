"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireViewer } from "@/lib/auth/next";
import { runFormAction } from "@/lib/http";
import { markNotRelevant } from "@/lib/relevance";

const notRelevantForm = z.object({ notice_id: z.string().min(1).max(200) });

/** The "Not relevant" button on a match: one click, no client code; the lists re-render without it. */
export async function notRelevantAction(formData: FormData): Promise<void> {
  const viewer = await requireViewer("/opportunities");
  const actor = { userId: viewer.user.id, role: viewer.org.role };
  const state = await runFormAction(formData, notRelevantForm, (input) =>
    markNotRelevant(viewer.org.id, actor, input.notice_id),
  );
  if (state.status !== "success") return;
  revalidatePath("/opportunities");
  revalidatePath("/onboarding");
}
