import { describe, expect, it } from "vitest";
import { addDays, daysBetween, parseSamDate, parseSamTimestamp, samCalendarDate, toSamQueryDate } from "./sam-dates";

const iso = (value: string) => parseSamTimestamp(value)?.toISOString() ?? null;

describe("parseSamTimestamp", () => {
  it("reads the CSV extract's offset without minutes", () => {
    expect(iso("2026-04-24 23:24:04.649-04")).toBe("2026-04-25T03:24:04.649Z");
    expect(iso("2026-04-24 21:48:56.1-04")).toBe("2026-04-25T01:48:56.100Z");
    expect(iso("2026-04-24 21:48:56-04")).toBe("2026-04-25T01:48:56.000Z");
    expect(iso("2026-01-05 09:00:00.12-05")).toBe("2026-01-05T14:00:00.120Z");
  });

  it("reads ISO offsets with and without a colon, and Z", () => {
    expect(iso("2026-05-01T16:30:00-07:00")).toBe("2026-05-01T23:30:00.000Z");
    expect(iso("2026-03-20T15:00:00+09:00")).toBe("2026-03-20T06:00:00.000Z");
    expect(iso("2026-03-20T15:00:00+0530")).toBe("2026-03-20T09:30:00.000Z");
    expect(iso("2026-03-20T15:00:00Z")).toBe("2026-03-20T15:00:00.000Z");
    expect(iso("  2026-03-20T15:00:00Z  ")).toBe("2026-03-20T15:00:00.000Z");
  });

  it("reads values without a zone as US Eastern wall-clock time, across daylight saving", () => {
    expect(iso("2026-04-24")).toBe("2026-04-24T04:00:00.000Z");
    expect(iso("2025-01-31")).toBe("2025-01-31T05:00:00.000Z");
    expect(iso("2026-01-15T10:00:00")).toBe("2026-01-15T15:00:00.000Z");
    expect(iso("2026-07-15 10:00:00")).toBe("2026-07-15T14:00:00.000Z");
    // The first instants after both 2026 changes (8 March, 1 November).
    expect(iso("2026-03-08T03:00:00")).toBe("2026-03-08T07:00:00.000Z");
    expect(iso("2026-11-01T02:00:00")).toBe("2026-11-01T07:00:00.000Z");
  });

  it("answers null for anything that is not a real time stamp", () => {
    for (const bad of [
      "",
      "   ",
      "null",
      "04/24/2026",
      "2026-02-30",
      "2026-13-01",
      "2026-04-24T25:00:00",
      "2026-04-24T12:61:00",
      "2026-04-24 12:00:00+15",
      "2026-04-24T12",
      "yesterday",
    ]) {
      expect(parseSamTimestamp(bad), bad).toBeNull();
    }
    expect(parseSamTimestamp(null)).toBeNull();
    expect(parseSamTimestamp(undefined)).toBeNull();
  });
});

describe("calendar helpers", () => {
  it("parses a date, ignoring a time part", () => {
    expect(parseSamDate("2027-12-30")).toBe("2027-12-30");
    expect(parseSamDate("2027-12-30T10:00:00-05:00")).toBe("2027-12-30");
    expect(parseSamDate("2027-02-29")).toBeNull();
    expect(parseSamDate("")).toBeNull();
  });

  it("tells the date in SAM.gov's time zone", () => {
    expect(samCalendarDate(new Date("2026-04-25T03:24:04Z"))).toBe("2026-04-24");
    expect(samCalendarDate(new Date("2026-04-25T04:00:00Z"))).toBe("2026-04-25");
    expect(samCalendarDate(new Date("2026-01-01T04:59:59Z"))).toBe("2025-12-31");
  });

  it("adds days, counts days and formats MM/dd/yyyy for the API", () => {
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2025-12-31", 1)).toBe("2026-01-01");
    expect(daysBetween("2025-04-24", "2026-04-24")).toBe(365);
    expect(toSamQueryDate("2026-04-09")).toBe("04/09/2026");
  });
});
