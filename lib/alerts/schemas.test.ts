import { describe, expect, it } from "vitest";
import { createAlertSchema, splitCodes, updateAlertSchema } from "./schemas";

describe("alert schemas", () => {
  it("createAlertSchema accepts the API.md body and normalises it", () => {
    const parsed = createAlertSchema.parse({
      name: "  Cyber in Virginia ",
      frequency: "daily",
      q: " zero trust ",
      naics: ["5415", " 541512", "5415"],
      states: ["va", "MD"],
      set_asides: ["sba"],
      prefer: { q: "", states: ["dc"] },
    });
    expect(parsed).toEqual({
      name: "Cyber in Virginia",
      frequency: "daily",
      q: "zero trust",
      naics: ["5415", "541512"],
      states: ["VA", "MD"],
      set_asides: ["SBA"],
      prefer: { q: null, states: ["DC"], set_asides: [] },
      digest_limit: 25,
      nothing_new_email: false,
    });
  });

  it("defaults the optional filters and treats an empty keyword string as none", () => {
    expect(createAlertSchema.parse({ name: "All", frequency: "weekly", q: "" })).toEqual({
      name: "All",
      frequency: "weekly",
      q: null,
      naics: [],
      states: [],
      set_asides: [],
      prefer: { q: null, states: [], set_asides: [] },
      digest_limit: 25,
      nothing_new_email: false,
    });
  });

  it("refuses unknown fields, bad values and oversized lists with a path per problem", () => {
    const result = createAlertSchema.safeParse({
      name: "",
      frequency: "hourly",
      naics: ["54", "5415x"],
      states: ["Virginia"],
      set_asides: ["<script>"],
      delivery_email: "not-an-email",
      extra: true,
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(
      expect.arrayContaining(["name", "frequency", "naics.1", "states.0", "set_asides.0", "delivery_email", ""]),
    );
    const tooMany = createAlertSchema.safeParse({
      name: "x",
      frequency: "daily",
      naics: Array.from({ length: 51 }, (_, i) => String(100000 + i)),
    });
    expect(tooMany.error?.issues).toMatchObject([{ path: ["naics"], message: "At most 50 NAICS codes." }]);
  });

  it("refuses wrong types", () => {
    expect(createAlertSchema.safeParse({ name: 5, frequency: "daily" }).success).toBe(false);
    expect(createAlertSchema.safeParse({ name: "x", frequency: "daily", naics: "5415" }).success).toBe(false);
    expect(createAlertSchema.safeParse({ name: "x", frequency: "daily", q: ["a"] }).success).toBe(false);
    expect(createAlertSchema.safeParse(null).success).toBe(false);
  });

  it("updateAlertSchema takes any subset, but at least one field", () => {
    expect(updateAlertSchema.parse({ active: false })).toEqual({ active: false });
    expect(updateAlertSchema.parse({ q: null, naics: [] })).toEqual({ q: null, naics: [] });
    expect(updateAlertSchema.safeParse({}).success).toBe(false);
    expect(updateAlertSchema.safeParse({ active: "yes" }).success).toBe(false);
    expect(updateAlertSchema.safeParse({ org_id: "x" }).success).toBe(false);
  });

  it("splitCodes reads comma, space or semicolon separated codes", () => {
    expect(splitCodes(" 5415, 236220  33;;31-33\n")).toEqual(["5415", "236220", "33", "31-33"]);
    expect(splitCodes("  ")).toEqual([]);
  });
});
