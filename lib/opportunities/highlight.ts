const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string) {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Text marked with start/stop sentinels → escaped HTML with <mark> around the matches. */
export function toHighlightHtml(marked: string, start: string, stop: string) {
  return escapeHtml(marked.replaceAll(/[\u0000-\u0001\u0004-\u0008\u000b\u000c\u000e-\u001f]/g, ""))
    .replaceAll(start, "<mark>")
    .replaceAll(stop, "</mark>");
}

/** The distinct words that were marked, lower-cased, in order of first appearance. */
export function markedTerms(marked: string, start: string, stop: string): string[] {
  const terms = new Set<string>();
  const pattern = new RegExp(`${start}([^${stop}]*)${stop}`, "g");
  for (const match of marked.matchAll(pattern)) {
    const term = match[1]!.trim().toLowerCase();
    if (term) terms.add(term);
  }
  return [...terms].slice(0, 10);
}
