const BASE = "http://beacon.invalid";
// The pages that list matches, and a notice's own page: where a mark or an undo sends the member back.
const LIST_PAGES = ["/opportunities", "/onboarding/matches", "/onboarding", "/settings/not-relevant"];
const NOTICE_PAGE = /^\/opportunities\/[A-Za-z0-9_-]{1,100}$/;

/**
 * The page a "Not relevant" or Undo form returns to, as a same-site path with its query; any
 * other value (another site, another page, garbage) answers `/opportunities`. Parsed as a URL, so
 * what browsers would read as another host ("//x", "/\\x", tabs inside) never passes.
 */
export function relevanceReturnPath(value: unknown, undo?: string): string {
  let url: URL;
  try {
    url = new URL(typeof value === "string" && value.length <= 2000 ? value : "/opportunities", BASE);
  } catch {
    url = new URL("/opportunities", BASE);
  }
  if (url.origin !== BASE || !(LIST_PAGES.includes(url.pathname) || NOTICE_PAGE.test(url.pathname)))
    url = new URL("/opportunities", BASE);
  if (undo !== undefined) url.searchParams.set("undo", undo);
  return `${url.pathname}${url.search}`;
}
