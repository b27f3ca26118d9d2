import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { neutraliseCell, toSafeCsv } from "./csv-safe";

describe("CSV injection", () => {
  it("prefixes an apostrophe to text starting with = + - @ TAB or CR, and only those", () => {
    for (const hostile of ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "\t=1", "\r=1"])
      expect(neutraliseCell(hostile)).toBe(`'${hostile}`);
    for (const benign of ["Acme", "", " =x (leading space)", "a=b", "'quoted", "1-2"])
      expect(neutraliseCell(benign)).toBe(benign);
  });

  it("writes a UTF-8 BOM, CRLF rows, RFC 4180 quoting; numbers (ours) stay numbers", () => {
    const csv = toSafeCsv(
      ["name", "cents"],
      [
        ['=cmd|"/c calc"!A1', -200],
        ["Ünïcode, Ltd\nline two", null],
      ],
    );
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv).toContain("\r\n");
    expect(parse(csv, { bom: true })).toEqual([
      ["name", "cents"],
      ['\'=cmd|"/c calc"!A1', "-200"],
      ["Ünïcode, Ltd\nline two", ""],
    ]);
  });
});
