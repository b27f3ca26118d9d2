import { QueryClient, dehydrate, type DataTag, type DehydratedState, type QueryKey } from "@tanstack/react-query";

/** Data a server page already read, handed to a data island as the cache entry of `query`. */
export function seedQuery<TData, TError>(
  query: { queryKey: DataTag<QueryKey, TData, TError> },
  data: TData,
): DehydratedState {
  const client = new QueryClient();
  client.setQueryData(query.queryKey, data);
  return dehydrate(client);
}
