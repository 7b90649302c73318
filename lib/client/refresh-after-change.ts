import type { Query, QueryClient, QueryKey } from "@tanstack/react-query";

/**
 * After a change the server has committed: marks the queries under `queryKey` (all when omitted;
 * narrowed by `predicate`) stale and refetches the ones on screen. A query still on its first read is
 * restarted rather than joined: that read may have begun before the change committed, and
 * react-query's refetch joins a first read in flight (it restarts only queries that already have
 * data). Seen as a token created right after the page loaded that its list did not show. Every
 * refresh after a change goes through here, so none of them can show the state from before it.
 */
export async function refreshAfterChange(queryClient: QueryClient, queryKey?: QueryKey, predicate?: (query: Query) => boolean): Promise<void> {
  const isFirstReadInFlight = (query: Query) => query.state.data === undefined && query.state.fetchStatus === "fetching";
  await queryClient.cancelQueries({ queryKey, predicate: (query) => isFirstReadInFlight(query) && (!predicate || predicate(query)) });
  await queryClient.invalidateQueries({ queryKey, predicate });
}
