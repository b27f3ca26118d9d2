import { describe, expect, it } from "vitest";
import { formatUsdCents } from "./money";

describe("formatUsdCents", () => {
  it("shows integer cents as dollars with separators, and a dash without an amount", () => {
    expect(formatUsdCents(115_438_700)).toBe("$1,154,387.00");
    expect(formatUsdCents(5)).toBe("$0.05");
    expect(formatUsdCents(null)).toBe("—");
    expect(formatUsdCents(undefined, "not given")).toBe("not given");
  });
});
