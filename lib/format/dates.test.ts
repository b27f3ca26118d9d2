import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatTime } from "./dates";

describe("one date format", () => {
  const at = new Date("2026-04-24T03:04:09.120Z");

  it("writes dates with the month spelled out, in UTC whatever the process's time zone", () => {
    expect(formatDate(at)).toBe("Apr 24, 2026");
    expect(formatDate("2026-04-24T23:30:00-04:00")).toBe("Apr 25, 2026");
    expect(formatDateTime(at)).toBe("Apr 24, 2026, 03:04 UTC");
    expect(formatDateTime(at, { seconds: true })).toBe("Apr 24, 2026, 03:04:09 UTC");
    expect(formatTime(at)).toBe("03:04:09 UTC");
    expect(formatTime(at, { milliseconds: true })).toBe("03:04:09.120 UTC");
  });

  it("says what is missing instead of 'Invalid Date'", () => {
    expect(formatDate(null)).toBe("—");
    expect(formatDate("not a date", "not stated")).toBe("not stated");
    expect(formatDateTime(undefined, { empty: "never" })).toBe("never");
    expect(formatTime("")).toBe("—");
  });

  // The papercut this module fixed: three formats (ISO slices, "April 24, 2026", the browser's
  // locale) on one product. Pages and e-mails format dates here, nowhere else.
  it("is the only place that turns a date into words", () => {
    const offenders: string[] = [];
    const pattern =
      /toISOString\(\)\.(slice|replace|substring)\(|toLocale(Date|Time)String\(|toLocaleString\(\)|toLocaleString\([^)]*(dateStyle|timeStyle|month|timeZone)|new Intl\.DateTimeFormat/;
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
          fs.readFileSync(file, "utf8")
            .split("\n")
            .forEach((line, i) => {
              if (pattern.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
            });
        }
      }
    };
    for (const root of ["app", "components", "lib"]) walk(root);
    // File names, API values and SAM.gov's Eastern-time arithmetic are machine formats, not words.
    const machineFormats = offenders.filter(
      (line) =>
        !/^lib\/format\/|accounting-export\.ts|member-requests\.ts|pipeline\/csv\.ts|ingest\/sam-dates\.ts/.test(line),
    );
    expect(machineFormats).toEqual([]);
  });
});
