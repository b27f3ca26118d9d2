import { pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { textList } from "./columns";
import { organizations } from "./orgs";
import { systemAccess, tenantIsolation } from "./tenant-policy";

/** What the business does: drives the first alert and the instant matches. One per org. */
export const businessProfiles = pgTable(
  "business_profiles",
  {
    orgId: uuid("org_id")
      .primaryKey()
      .references(() => organizations.id, { onDelete: "cascade" }),
    companyName: text("company_name").notNull(),
    naicsCodes: textList("naics_codes"),
    keywords: textList("keywords"),
    setAsides: textList("set_asides"),
    states: textList("states"),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [tenantIsolation(t.orgId), systemAccess()],
).enableRLS();

/** When each onboarding step was completed (the ops funnel reads it). */
export const onboardingProgress = pgTable(
  "onboarding_progress",
  {
    orgId: uuid("org_id")
      .primaryKey()
      .references(() => organizations.id, { onDelete: "cascade" }),
    profileCompletedAt: timestamp("profile_completed_at", { withTimezone: true, mode: "date" }),
    alertCompletedAt: timestamp("alert_completed_at", { withTimezone: true, mode: "date" }),
    matchesViewedAt: timestamp("matches_viewed_at", { withTimezone: true, mode: "date" }),
    planChosenAt: timestamp("plan_chosen_at", { withTimezone: true, mode: "date" }),
    onboardingCompletedAt: timestamp("onboarding_completed_at", { withTimezone: true, mode: "date" }),
    firstAlertId: uuid("first_alert_id"),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [tenantIsolation(t.orgId), systemAccess()],
).enableRLS();
