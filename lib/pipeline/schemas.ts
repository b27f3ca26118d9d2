import { z } from "zod";
import { pageQuerySchema } from "@/lib/http";

export const PIPELINE_STAGES = ["watching", "bidding", "submitted", "won", "lost", "no_bid"] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

/**
 * Stages in which the org may still respond: only these get deadline reminders and calendar
 * events. Once submitted (or decided) the response deadline is no longer the team's to meet.
 */
export const OPEN_STAGES: readonly PipelineStage[] = ["watching", "bidding"];

export const STAGE_LABELS: Record<PipelineStage, string> = {
  watching: "Watching",
  bidding: "Bidding",
  submitted: "Submitted",
  won: "Won",
  lost: "Lost",
  no_bid: "No bid",
};

/** The longest reminder lead time an org may choose, in days. */
export const MAX_REMINDER_DAYS = 60;
export const DEFAULT_REMINDER_DAYS = 3;
export const MAX_NOTE_LENGTH = 5_000;

const stage = z.enum(PIPELINE_STAGES, { message: `Choose one of: ${PIPELINE_STAGES.join(", ")}.` });
const uuid = z.uuid({ message: "Must be a user id." });

export const trackSchema = z
  .object({
    notice_id: z.string().trim().min(1, "Say which notice to track.").max(200),
    stage: stage.optional(),
  })
  .strict();

export const updateTrackedSchema = z
  .object({
    stage: stage.optional(),
    /** A member's user id, or null to unassign. */
    assignee_id: uuid.nullable().optional(),
  })
  .strict()
  .refine((v) => v.stage !== undefined || v.assignee_id !== undefined, {
    message: "Send a stage, an assignee_id, or both.",
  });

export const addNoteSchema = z
  .object({
    body: z
      .string()
      .trim()
      .min(1, "Write a note.")
      .max(MAX_NOTE_LENGTH, `Keep a note under ${MAX_NOTE_LENGTH.toLocaleString("en-US")} characters.`),
  })
  .strict();

export const pipelineSettingsSchema = z
  .object({
    reminder_days: z.coerce
      .number({ message: "Enter a number of days." })
      .int("Enter a whole number of days.")
      .min(0, "0 turns reminders off; it cannot be negative.")
      .max(MAX_REMINDER_DAYS, `At most ${MAX_REMINDER_DAYS} days.`),
  })
  .strict();

const isoDate = z
  .string()
  .max(40)
  .refine((v) => !Number.isNaN(Date.parse(v)), "Use an ISO date such as 2026-12-31.")
  .transform((v) => new Date(v));

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A bare date as an upper bound means the whole of that day (UTC). */
const isoDateUpTo = z
  .string()
  .max(40)
  .refine((v) => !Number.isNaN(Date.parse(v)), "Use an ISO date such as 2026-12-31.")
  .transform((v) => new Date(DATE_ONLY.test(v) ? Date.parse(v) + 86_400_000 - 1 : Date.parse(v)));

/** Filters of the list and of the CSV export (the same ones). */
export const pipelineFilterSchema = z.object({
  stage: z.union([stage, z.array(stage).max(PIPELINE_STAGES.length)]).optional(),
  /** A member's user id, or `unassigned`. */
  assignee: z.union([z.literal("unassigned"), uuid]).optional(),
  deadline_from: isoDate.optional(),
  deadline_to: isoDateUpTo.optional(),
  q: z.string().trim().max(200).optional(),
});

export const pipelineListQuerySchema = pipelineFilterSchema.extend(pageQuerySchema.shape);

export type TrackInput = z.infer<typeof trackSchema>;
export type UpdateTrackedInput = z.infer<typeof updateTrackedSchema>;
export type AddNoteInput = z.infer<typeof addNoteSchema>;
export type PipelineSettingsInput = z.infer<typeof pipelineSettingsSchema>;
export type PipelineFilter = z.infer<typeof pipelineFilterSchema>;
export type PipelineListQuery = z.infer<typeof pipelineListQuerySchema>;
