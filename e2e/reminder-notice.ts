import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { SetupCommand } from "./setup-commands";

/**
 * One notice whose response deadline is two days after the run starts, for the pipeline journey's
 * deadline reminder: the bundled day's deadlines are long past, and the reminder sweep runs on the
 * real clock. Loaded by the CLI (`opportunities:ingest --file`) with the rest of the setup, in
 * the bundled extract's shape. Its NAICS code (forest nurseries) is one no other journey searches.
 * Like every ingestion it announces `opportunities/ingested`; with no Inngest in e2e (and one
 * attempt allowed) that event is a dead letter from the start, which no journey counts.
 * Id and deadline live in process.env so Playwright's workers see the same values.
 */
process.env.E2E_REMINDER_NOTICE_ID ??= `e2ereminder${process.env.E2E_RUN_ID ?? Date.now().toString(36)}`;
process.env.E2E_REMINDER_DEADLINE ??= new Date(Date.now() + 2 * 86_400_000).toISOString();

export const reminderNotice = {
  id: process.env.E2E_REMINDER_NOTICE_ID,
  title: "Seedling nursery stock for the Monongahela reforestation",
  deadline: process.env.E2E_REMINDER_DEADLINE,
};

/** Writes the notice's file and answers the command that loads it. */
export function loadReminderNoticeCommand(): SetupCommand {
  const file = path.join(os.tmpdir(), `beacon-e2e-reminder-${reminderNotice.id}.json`);
  const record = {
    NoticeId: reminderNotice.id,
    Title: reminderNotice.title,
    "Sol#": `12318726Q${reminderNotice.id.slice(-6)}`,
    "Department/Ind.Agency": "AGRICULTURE, DEPARTMENT OF",
    "Sub-Tier": "FOREST SERVICE",
    Office: "USDA-FS, CSA EAST 7",
    PostedDate: "2026-04-24 10:00:00.000-04",
    Type: "Combined Synopsis/Solicitation",
    BaseType: "Combined Synopsis/Solicitation",
    SetASideCode: "SBA",
    SetASide: "Total Small Business Set-Aside (FAR 19.5)",
    ResponseDeadLine: reminderNotice.deadline,
    NaicsCode: "111421",
    PopState: "WV",
    PopCountry: "USA",
    Active: "Yes",
    Link: `https://sam.gov/workspace/contract/opp/${reminderNotice.id}/view`,
    Description: "Bare-root hardwood seedlings (red oak, black cherry) for spring planting on national forest land.",
  };
  fs.writeFileSync(file, JSON.stringify([record]));
  return { args: ["opportunities:ingest", "--file", file] };
}
