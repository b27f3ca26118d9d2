import { describe, expect, it } from "vitest";
import { alertPauseReason } from "@/db/schema";
import { planPauses } from "./plan-allowance";
import { ALERT_PAUSE_REASONS, type AlertFrequency } from "./rules";

const at = (minute: number) => new Date(Date.UTC(2035, 0, 1, 0, minute));
const alert = (id: string, frequency: AlertFrequency, minute: number) => ({ id, frequency, createdAt: at(minute) });

describe("planPauses", () => {
  it("covers the oldest alerts up to the limit, whatever order they come in, ties broken by id", () => {
    const alerts = [alert("d", "daily", 3), alert("b", "weekly", 1), alert("c", "daily", 1), alert("a", "daily", 0)];
    const decided = planPauses(alerts, { maxAlerts: 2, instantAlerts: true });
    expect(Object.fromEntries(decided)).toEqual({ a: null, b: null, c: "plan_limit", d: "plan_limit" });
    expect(Object.fromEntries(planPauses([...alerts].reverse(), { maxAlerts: 2, instantAlerts: true }))).toEqual(
      Object.fromEntries(decided),
    );
  });

  it("holds instant alerts on a plan without them, and they do not use up the limit", () => {
    const decided = planPauses([alert("i", "instant", 0), alert("a", "daily", 1), alert("b", "daily", 2)], {
      maxAlerts: 1,
      instantAlerts: false,
    });
    expect(Object.fromEntries(decided)).toEqual({ i: "plan_excludes_instant", a: null, b: "plan_limit" });
  });

  it("the browser-safe reasons are the database enum's", () => {
    expect([...ALERT_PAUSE_REASONS]).toEqual(alertPauseReason.enumValues);
  });
});
