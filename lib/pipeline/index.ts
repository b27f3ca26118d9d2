export {
  trackNotice,
  untrackNotice,
  updateTracked,
  addNote,
  getTracked,
  trackedForNotice,
  trackedNoticeIds,
  listTracked,
  getPipelineSettings,
  updatePipelineSettings,
  type ApiTrackedOpportunity,
  type ApiPipelineNote,
  type PipelineContext,
  type PipelinePage,
  type PipelineSettings,
} from "./pipeline";
export {
  pipelineAccess,
  pipelineAccessIn,
  assertPipelineIncluded,
  pipelinePlans,
  changeTrackingPlans,
  type PipelineAccess,
} from "./access";
export { exportPipelineCsv, PIPELINE_CSV_HEADER, PIPELINE_CSV_MAX_ROWS } from "./csv";
export {
  calendarFeedIcs,
  calendarFeedPath,
  calendarFeedStatus,
  createCalendarFeed,
  revokeCalendarFeed,
  CALENDAR_TOKEN_PREFIX,
  type CalendarFeedStatus,
} from "./calendar";
export { renderCalendar, foldLine, escapeText, type CalendarEvent } from "./ics";
export {
  runChangeNotices,
  CHANGE_WINDOW_MS,
  CHANGE_LOOKBACK_WINDOWS,
  type ChangeNoticeRunSummary,
} from "./change-notices";
export {
  changeUnsubscribeToken,
  changeUnsubscribeUrl,
  describeChangeUnsubscribe,
  unsubscribeChangeEmails,
  changeEmailsEnabled,
  setChangeEmails,
  type ChangeEmailsTarget,
} from "./change-unsubscribe";
export { changeUnsubscribePage, changeUnsubscribedPage } from "./change-unsubscribe-page";
export { runDeadlineReminders, findDueReminders, REMINDER_BATCH, type ReminderRunSummary } from "./reminders";
export {
  PIPELINE_STAGES,
  OPEN_STAGES,
  STAGE_LABELS,
  DEFAULT_REMINDER_DAYS,
  MAX_REMINDER_DAYS,
  MAX_NOTE_LENGTH,
  trackSchema,
  updateTrackedSchema,
  addNoteSchema,
  pipelineSettingsSchema,
  pipelineFilterSchema,
  pipelineListQuerySchema,
  type PipelineStage,
  type PipelineFilter,
  type PipelineListQuery,
  type TrackInput,
  type UpdateTrackedInput,
  type AddNoteInput,
  type PipelineSettingsInput,
} from "./schemas";
export {
  listTrackedEndpoint,
  trackNoticeEndpoint,
  getTrackedEndpoint,
  updateTrackedEndpoint,
  untrackNoticeEndpoint,
  addNoteEndpoint,
  exportPipelineEndpoint,
  getPipelineSettingsEndpoint,
  updatePipelineSettingsEndpoint,
  calendarFeedStatusEndpoint,
  createCalendarFeedEndpoint,
  revokeCalendarFeedEndpoint,
} from "./endpoints";
