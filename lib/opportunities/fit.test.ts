import { describe, expect, it } from "vitest";
import { fitOf, keywordText, keywordWords, type FitInput, type FitProfile, type NotRelevantMark } from "./fit";

const profile: FitProfile = {
  naicsCodes: ["541512", "5611"],
  keywords: ["cloud", "zero trust"],
  setAsides: ["SBA", "SDVOSBC"],
  states: ["VA", "MD"],
};

const base: FitInput = {
  title: "Facility support services",
  description: "",
  type: "Award Notice",
  naicsCode: "999999",
  setAsideCode: null,
  popState: null,
  solicitationNumber: "W91-0001",
  agency: "DEPT OF DEFENSE.ARMY",
};

const mark: NotRelevantMark = {
  noticeId: "dismissed",
  solicitationNumber: "W91-9999",
  agency: "DEPT OF DEFENSE.NAVY",
  naicsCode: "541512",
};

describe("fitOf", () => {
  it.each<[string, Partial<FitInput>, NotRelevantMark[], number, string[]]>([
    ["nothing in common", {}, [], 0, []],
    ["exact NAICS", { naicsCode: "541512" }, [], 35, ["Exact NAICS 541512"]],
    ["parent NAICS", { naicsCode: "561110" }, [], 20, ["NAICS 561110 within your 5611"]],
    ["a sibling code is no match", { naicsCode: "541511" }, [], 0, []],
    [
      "set-aside the business qualifies for",
      { setAsideCode: "SBA" },
      [],
      20,
      ["Small-business set-aside you qualify for"],
    ],
    ["set-aside it does not qualify for", { setAsideCode: "8A" }, [], 0, []],
    ["place of performance", { popState: "VA" }, [], 10, ["In VA"]],
    [
      "keyword in title beats description",
      { title: "Cloud hosting", description: "cloud" },
      [],
      15,
      ["‘cloud’ in title"],
    ],
    ["keyword in description only", { description: "Migrate mail to the cloud." }, [], 5, ["‘cloud’ in description"]],
    [
      "plural and phrase across punctuation",
      { title: "Zero-Trust clouds" },
      [],
      15,
      ["‘cloud’, ‘zero trust’ in title"],
    ],
    ["a word inside another word is no hit", { title: "Cloudflare renewal", description: "overclouded" }, [], 0, []],
    ["keyword past the scanned description is no hit", { description: `${"x ".repeat(2000)}cloud` }, [], 0, []],
    ["solicitation", { type: "Solicitation" }, [], 20, ["Solicitation"]],
    [
      "combined synopsis/solicitation",
      { type: "Combined Synopsis/Solicitation" },
      [],
      20,
      ["Combined Synopsis/Solicitation"],
    ],
    ["presolicitation", { type: "Presolicitation" }, [], 12, ["Presolicitation"]],
    ["sources sought", { type: "Sources Sought" }, [], 8, ["Sources Sought"]],
    [
      "everything",
      { naicsCode: "541512", setAsideCode: "SDVOSBC", popState: "MD", title: "Cloud migration", type: "Solicitation" },
      [],
      100,
      ["Exact NAICS 541512", "SDVOSB set-aside you qualify for", "In MD", "‘cloud’ in title", "Solicitation"],
    ],
    [
      "same solicitation as a not-relevant notice",
      { naicsCode: "541512", type: "Solicitation", solicitationNumber: "W91-9999" },
      [mark],
      25,
      ["Exact NAICS 541512", "Solicitation", "Like a notice your team marked not relevant"],
    ],
    [
      "same office and NAICS as a not-relevant notice",
      { naicsCode: "541512", agency: "DEPT OF DEFENSE.NAVY" },
      [mark],
      5,
      ["Exact NAICS 541512", "Like a notice your team marked not relevant"],
    ],
    [
      "never below zero",
      { solicitationNumber: "W91-9999" },
      [mark],
      0,
      ["Like a notice your team marked not relevant"],
    ],
    ["same office, other NAICS: not similar", { naicsCode: "541511", agency: "DEPT OF DEFENSE.NAVY" }, [mark], 0, []],
  ])("%s", (_name, notice, marks, score, reasons) => {
    expect(fitOf({ ...base, ...notice }, profile, marks)).toEqual({ score, reasons });
  });

  it("keywords without letters or digits are ignored; text is compared as lower-case words", () => {
    expect(keywordWords("  ")).toBeNull();
    expect(keywordWords("C++ (.*) Zero-Trust")).toBe("c zero trust");
    expect(keywordText("Zero-Trust, Inc.: CLOUD/é")).toBe(" zero trust inc cloud  ");
    expect(fitOf({ ...base, title: "%_ cloud" }, { ...profile, keywords: ["%", "_"] }).score).toBe(0);
  });
});
