/**
 * SAM.gov's text as people read it: agency names arrive in capitals ("DEPT OF THE ARMY") and
 * descriptions as one long line (the extract flattens the agency's paragraphs). Pure functions.
 */

/** Joins agency levels on the detail page. */
export const AGENCY_SEPARATOR = " › ";

// Lower-case inside a name ("Dept of the Army"), capitalised when they start it.
const MINOR_WORDS = new Set(["a", "an", "and", "at", "by", "de", "del", "for", "in", "of", "on", "or", "the", "to"]);
// Short words and abbreviations that read as words, not acronyms ("Dept", "Air", "Div").
const SHORT_WORDS = new Set([
  "acq",
  "aid",
  "air",
  "art",
  "bay",
  "br",
  "cmd",
  "ctr",
  "day",
  "def",
  "det",
  "div",
  "exp",
  "fed",
  "ft",
  "gas",
  "inc",
  "law",
  "log",
  "mgmt",
  "mgt",
  "mid",
  "mt",
  "new",
  "ofc",
  "off",
  "oil",
  "old",
  "one",
  "reg",
  "san",
  "sea",
  "st",
  "sup",
  "svc",
  "svcs",
  "tax",
  "two",
  "war",
]);
// Four letters or more, yet acronyms: commands, centres and programmes SAM.gov names by them.
const LONG_ACRONYMS = new Set([
  "aedc",
  "aetc",
  "afdw",
  "aflcmc",
  "afmc",
  "afrl",
  "afsc",
  "aftc",
  "amic",
  "amsam",
  "arng",
  "arpa",
  "asfr",
  "awacs",
  "ccad",
  "cecom",
  "cmop",
  "conops",
  "cons",
  "darpa",
  "dcma",
  "dfas",
  "disa",
  "ditco",
  "dodea",
  "dtra",
  "ebuk",
  "fema",
  "fletc",
  "fpac",
  "gaoa",
  "hecsa",
  "hqda",
  "hrsa",
  "jbsa",
  "lgca",
  "mabo",
  "micc",
  "nasa",
  "navair",
  "navfac",
  "navfacsyscom",
  "navsea",
  "navsup",
  "navwar",
  "nichd",
  "nist",
  "niwc",
  "noaa",
  "nswc",
  "nuwc",
  "oacm",
  "oasis",
  "olao",
  "omas",
  "ornl",
  "pcac",
  "pnnl",
  "pshc",
  "qscb",
  "slac",
  "socom",
  "socons",
  "tacom",
  "usace",
  "usaf",
  "usaid",
  "uscg",
  "usda",
  "usmc",
  "uspfo",
  "ussocom",
  "ustranscom",
]);

const capitalised = (word: string) => word.charAt(0) + word.slice(1).toLowerCase();

function readableWord(word: string, first: boolean): string {
  if (/\d/.test(word)) return word; // office codes: FA3047, W6QK, 68HE09
  const lower = word.toLowerCase();
  if (MINOR_WORDS.has(lower)) return first ? capitalised(word) : lower;
  if (SHORT_WORDS.has(lower)) return capitalised(word);
  if (LONG_ACRONYMS.has(lower) || /^PZ[A-Z]{1,4}$/.test(word)) return word; // PZ…: Air Force office symbols
  if (word.length <= 3 || !/[AEIOUY]/.test(word)) return word; // GSA, FDA, HQ, CC, ACC-APG
  return capitalised(word);
}

/**
 * One agency level in readable case: "DEPT OF THE ARMY" → "Dept of the Army", keeping acronyms
 * (GSA, NAVSEA, HQ) and office codes (FA3047). A name already in mixed case is left as written.
 */
export function readableAgencyName(name: string): string {
  if (/[a-z]/.test(name)) return name;
  let first = true;
  return name.replace(/[A-Z0-9']+/g, (word) => {
    const out = readableWord(word, first);
    first = false;
    return out;
  });
}

/** "DEPT OF DEFENSE", "DEPT OF THE ARMY", … → "Dept of Defense › Dept of the Army › …". */
export function readableAgencyPath(levels: readonly string[]): string {
  return levels
    .map((level) => level.trim())
    .filter(Boolean)
    .map(readableAgencyName)
    .join(AGENCY_SEPARATOR);
}

/** Paragraphs of a flattened description are cut at sentence ends near this length. */
export const PARAGRAPH_LENGTH = 600;

// A period after these does not end a sentence ("U.S.C. 2304", "e.g. the", "No. 5").
const NOT_SENTENCE_END =
  /(?:\b[A-Za-z]|\b(?:e\.g|i\.e|etc|no|nos|mr|mrs|ms|dr|st|inc|corp|co|ltd|vs|approx|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec))\.$/i;
// Runs of dashes, equals signs or asterisks mark sections in the agencies' text.
const RULE = /\s*(?:-{4,}|={4,}|\*{4,}|_{4,})\s*/;

function sentencesOf(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (const match of text.matchAll(/[.!?]["')\]]?\s+(?=["'(\[]?[A-Z0-9])/g)) {
    const end = match.index + match[0].length;
    const candidate = text.slice(start, end).trim();
    if (NOT_SENTENCE_END.test(candidate)) continue;
    sentences.push(candidate);
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

function packed(sentences: string[], maxLength: number): string[] {
  const paragraphs: string[] = [];
  let current = "";
  for (const sentence of sentences) {
    if (current && current.length + sentence.length + 1 > maxLength) {
      paragraphs.push(current);
      current = sentence;
    } else {
      current = current ? `${current} ${sentence}` : sentence;
    }
  }
  if (current) paragraphs.push(current);
  return paragraphs;
}

/**
 * A description as paragraphs: the author's own where the text keeps line breaks (blank lines,
 * or single ones), else sections split at ruled lines and long text cut at sentence ends into
 * paragraphs of about `maxLength` characters. Never drops or reorders text.
 */
export function descriptionParagraphs(description: string, maxLength = PARAGRAPH_LENGTH): string[] {
  const text = description.replace(/\r\n?/g, "\n").trim();
  if (text === "") return [];
  if (text.includes("\n")) {
    const blocks = /\n[^\S\n]*\n/.test(text) ? text.split(/\n[^\S\n]*\n+/) : text.split("\n");
    return blocks.map((b) => b.replace(/\s+/g, " ").trim()).filter(Boolean);
  }
  return text
    .split(RULE)
    .map((section) => section.trim())
    .filter(Boolean)
    .flatMap((section) => packed(sentencesOf(section), maxLength));
}

/** A ten-digit US number as "(210) 867-5309"; anything else as given. */
export function readablePhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  const national = digits.length === 11 && digits.startsWith("1") ? digits.slice(1) : digits;
  if (national.length !== 10 || /[^\d\s().+-]/.test(phone)) return phone;
  return `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`;
}
