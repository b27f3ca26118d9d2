import { describe, expect, it } from "vitest";
import { descriptionParagraphs, readableAgencyName, readableAgencyPath, readablePhone } from "./readable";

describe("readableAgencyPath", () => {
  it("turns SAM.gov's capitals into readable case, joined by ›", () => {
    expect(readableAgencyPath(["DEPT OF DEFENSE", "DEPT OF THE ARMY", "AMC", "ACC-APG", "W6QK ACC-APG DIR"])).toBe(
      "Dept of Defense › Dept of the Army › AMC › ACC-APG › W6QK ACC-APG DIR",
    );
    expect(readableAgencyPath(["DEPT OF DEFENSE", "DEPT OF THE NAVY", "NAVSEA", "NAVSEA HQ"])).toBe(
      "Dept of Defense › Dept of the Navy › NAVSEA › NAVSEA HQ",
    );
  });

  it("keeps acronyms and office codes, lower-cases minor words but a leading one", () => {
    expect(readableAgencyName("ENVIRONMENTAL PROTECTION AGENCY")).toBe("Environmental Protection Agency");
    expect(readableAgencyName("HEALTH AND HUMAN SERVICES, DEPARTMENT OF")).toBe(
      "Health and Human Services, Department of",
    );
    expect(readableAgencyName("JBSA - LACKLAND (JOINT BASE SAN ANTONIO)")).toBe(
      "JBSA - Lackland (Joint Base San Antonio)",
    );
    expect(readableAgencyName("FA3047  802 CONS CC JBSA")).toBe("FA3047  802 CONS CC JBSA");
    expect(readableAgencyName("GSA/FAS/PSHC/OASIS PLUS")).toBe("GSA/FAS/PSHC/OASIS Plus");
    expect(readableAgencyName("DEPT OF THE AIR FORCE")).toBe("Dept of the Air Force");
    expect(readableAgencyName("THE JOINT STAFF")).toBe("The Joint Staff");
    expect(readableAgencyName("FEDERAL PRISON SYSTEM / BUREAU OF PRISONS")).toBe(
      "Federal Prison System / Bureau of Prisons",
    );
  });

  it("leaves a name already in mixed case as written, and skips empty levels", () => {
    expect(readableAgencyPath(["Dept of the Navy", "", "NUWC Newport"])).toBe("Dept of the Navy › NUWC Newport");
    expect(readableAgencyPath([])).toBe("");
  });
});

describe("descriptionParagraphs", () => {
  it("keeps the author's paragraphs where the text has blank lines, or single line breaks", () => {
    expect(descriptionParagraphs("First  part\nstill first.\n\n\nSecond part.\r\n\r\nThird.")).toEqual([
      "First part still first.",
      "Second part.",
      "Third.",
    ]);
    expect(descriptionParagraphs("Line one\nLine two\n")).toEqual(["Line one", "Line two"]);
  });

  it("cuts flattened text at sentence ends near the length, never inside an abbreviation", () => {
    const sentence = (n: number) => `Sentence ${n} cites 10 U.S.C. 2304(c)(1) and e.g. No. 5 of the rules.`;
    const text = Array.from({ length: 6 }, (_, i) => sentence(i + 1)).join(" ");
    const paragraphs = descriptionParagraphs(text, 150);
    expect(paragraphs).toEqual([
      `${sentence(1)} ${sentence(2)}`,
      `${sentence(3)} ${sentence(4)}`,
      `${sentence(5)} ${sentence(6)}`,
    ]);
    expect(paragraphs.join(" ")).toBe(text);
  });

  it("splits sections at ruled lines, and keeps a single over-long sentence whole", () => {
    const long = `Words ${"word ".repeat(200).trim()}.`;
    expect(descriptionParagraphs(`Update as of 23 April. ------------- Update as of 20 April. ${long}`, 100)).toEqual([
      "Update as of 23 April.",
      "Update as of 20 April.",
      long,
    ]);
  });

  it("answers no paragraphs for an empty description", () => {
    expect(descriptionParagraphs("  \n ")).toEqual([]);
  });
});

describe("readablePhone", () => {
  it("formats ten US digits and leaves anything else as given", () => {
    expect(readablePhone("2108675309")).toBe("(210) 867-5309");
    expect(readablePhone("+1 210.867.5309")).toBe("(210) 867-5309");
    expect(readablePhone("(415) 972-3673")).toBe("(415) 972-3673");
    expect(readablePhone("210-867-5309 ext 12")).toBe("210-867-5309 ext 12");
    expect(readablePhone("+44 20 7946 0958")).toBe("+44 20 7946 0958");
  });
});
