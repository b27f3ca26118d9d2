"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireMember } from "@/lib/auth/next";
import { runFormAction, type FormState } from "@/lib/http";
import {
  addNote,
  createCalendarFeed,
  PIPELINE_STAGES,
  pipelineSettingsSchema,
  revokeCalendarFeed,
  trackNotice,
  untrackNotice,
  updatePipelineSettings,
  updateTracked,
} from "@/lib/pipeline";

const PIPELINE_PATH = "/pipeline";

function refresh(noticeId?: string) {
  revalidatePath(PIPELINE_PATH);
  if (noticeId) revalidatePath(`/opportunities/${encodeURIComponent(noticeId)}`);
}

const trackForm = z.object({ notice_id: z.string().min(1).max(200) });

/** The Track button of a notice's page. */
export async function trackAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { ctx } = await requireMember(PIPELINE_PATH);
  const state = await runFormAction(formData, trackForm, (input) => trackNotice(ctx, input));
  if (state.status !== "success" || !state.result) return { ...state, result: undefined };
  refresh(state.result.tracked.notice_id);
  return { status: "success", message: state.result.created ? "Tracked in your pipeline." : "Already tracked." };
}

const updateForm = z.object({
  id: z.string().max(100),
  notice_id: z.string().max(200),
  stage: z.enum(PIPELINE_STAGES, { message: "Choose a stage." }),
  // The select's "Unassigned" option sends an empty value.
  assignee_id: z
    .string()
    .max(100)
    .transform((v) => (v === "" ? null : v)),
});

export async function updateTrackedAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { ctx } = await requireMember(PIPELINE_PATH);
  const state = await runFormAction(formData, updateForm, ({ id, stage, assignee_id }) =>
    updateTracked(ctx, id, { stage, assignee_id }),
  );
  if (state.status !== "success" || !state.result) return { ...state, result: undefined };
  refresh(state.result.notice_id);
  return { status: "success", message: "Saved." };
}

const noteForm = z.object({ id: z.string().max(100), notice_id: z.string().max(200), body: z.string().max(10_000) });

export async function addNoteAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { ctx } = await requireMember(PIPELINE_PATH);
  const state = await runFormAction(formData, noteForm, ({ id, body }) => addNote(ctx, id, { body }));
  if (state.status !== "success") return { ...state, result: undefined };
  refresh(String(formData.get("notice_id") ?? ""));
  return { status: "success", message: "Note added." };
}

const untrackForm = z.object({ id: z.string().max(100), notice_id: z.string().max(200) });

export async function untrackAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { ctx } = await requireMember(PIPELINE_PATH);
  const state = await runFormAction(formData, untrackForm, ({ id }) => untrackNotice(ctx, id));
  if (state.status !== "success") return { ...state, result: undefined };
  refresh(String(formData.get("notice_id") ?? ""));
  return { status: "success", message: "No longer tracked." };
}

export async function pipelineSettingsAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { ctx } = await requireMember(PIPELINE_PATH);
  const state = await runFormAction(formData, pipelineSettingsSchema, (input) => updatePipelineSettings(ctx, input));
  if (state.status !== "success" || !state.result) return { ...state, result: undefined };
  refresh();
  const days = state.result.reminder_days;
  return {
    status: "success",
    message:
      days === 0 ? "Deadline reminders are off." : `Reminders go out ${days} ${days === 1 ? "day" : "days"} ahead.`,
  };
}

const feedForm = z.object({ intent: z.enum(["create", "revoke"]).default("create") });

/**
 * The calendar feed card's one form: "create" answers a new secret URL once in the result (never
 * stored in the clear; any earlier URL stops working), "revoke" turns the feed off.
 */
export async function calendarFeedAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const { viewer, ctx } = await requireMember(PIPELINE_PATH);
  const state = await runFormAction(formData, feedForm, async ({ intent }) =>
    intent === "revoke" ? { revoked: (await revokeCalendarFeed(viewer.user.id)).revoked } : createCalendarFeed(ctx),
  );
  if (state.status !== "success" || !state.result) return { ...state, result: undefined };
  refresh();
  if ("url" in state.result)
    return {
      status: "success",
      message: "Calendar feed ready. Any earlier feed URL of yours no longer works.",
      result: { url: state.result.url },
    };
  return {
    status: "success",
    message: state.result.revoked
      ? "Calendar feed turned off: its URL answers nothing now."
      : "There was no feed to turn off.",
  };
}
