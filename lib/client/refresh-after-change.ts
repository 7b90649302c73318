import type { QueryClient, QueryKey } from "@tanstack/react-query";

/**
 * After a change the server has committed: marks the queries under `queryKey` stale and refetches
 * the ones on screen. A query still on its first read is restarted rather than joined: that read may
 * have begun before the change committed, and react-query's refetch joins a first read in flight
 * (it restarts only queries that already have data). Seen as a token created right after the page
 * loaded that its list did not show.
 */
export async function refreshAfterChange(queryClient: QueryClient, queryKey: QueryKey): Promise<void> {
  await queryClient.cancelQueries({ queryKey, predicate: (q) => q.state.data === undefined && q.state.fetchStatus === "fetching" });
  await queryClient.invalidateQueries({ queryKey });
}
