import { stringify } from "csv-stringify/sync";

// A spreadsheet treats a cell starting with one of these as a formula (or, for TAB/CR, strips
// them and looks again): `=HYPERLINK(…)` in an org name must stay text. OWASP "CSV Injection".
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made inert: a leading apostrophe, which spreadsheets show as text and hide. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * CSV text (RFC 4180 quoting, CRLF, UTF-8 BOM so spreadsheets read UTF-8) with every text cell
 * neutralised. Numbers are written by us, never from user input, and are left as numbers.
 */
export function toSafeCsv(header: string[], rows: (string | number | null)[][]): string {
  return stringify([header, ...rows], {
    bom: true,
    record_delimiter: "windows",
    cast: { string: (value) => neutraliseCell(value) },
  });
}
