import { QueryObserver } from "@tanstack/react-query";
import { productQueryClient } from "./product-queries";
import { naicsSearchQuery, type NaicsRow } from "./queries";

export interface NaicsSearchState {
  data: { data: NaicsRow[] } | undefined;
  isError: boolean;
}

/**
 * The NAICS search for `term` in the browser's query client, as the pickers use it: `onChange`
 * gets each state of the query (fetched once per term, one retry). Returns the unsubscribe.
 */
export function watchNaicsSearch(term: string, onChange: (state: NaicsSearchState) => void): () => void {
  const observer = new QueryObserver(productQueryClient(), naicsSearchQuery(term));
  const unsubscribe = observer.subscribe((result) => onChange({ data: result.data, isError: result.isError }));
  const current = observer.getCurrentResult();
  onChange({ data: current.data, isError: current.isError });
  return unsubscribe;
}
