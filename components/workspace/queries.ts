"use client";
/**
 * Data hooks for the onboarding, settings and channel dialogs. Keys not named in the shared
 * contract are namespaced with a last segment ("mine", "info", "browse", "details") so they never
 * collide with a same-named key holding another shape; prefix invalidation (["channels", slug],
 * ["channel", id], ["workspace", slug]) still reaches them.
 */
import { keepPreviousData, useInfiniteQuery, useQueries, useQuery, type QueryClient, type UseQueryOptions } from "@tanstack/react-query";
import { useEffect } from "react";
import { api, ApiError } from "@/lib/client/api";
import { apiPaths } from "@/lib/client/api-paths";
import { useMe as useMyself } from "@/lib/client/queries";
import { queryKeys as sharedQueryKeys } from "@/lib/client/query-keys";
import type { TChannelMember, TChannelView } from "@/lib/channels/schema";
import { MEMBER_LOOKUP_MAX } from "@/lib/workspaces/limits";
import type { TInvite, TMember, TMyWorkspace } from "@/lib/workspaces/schema";

export const queryKeys = {
  me: sharedQueryKeys.me,
  myWorkspaces: ["workspaces", "mine"] as const,
  workspace: (slug: string) => ["workspace", slug, "info"] as const,
  /** Active members whose name or email contains `query` (a people picker's page). */
  memberSearch: (slug: string, query: string) => ["workspace", slug, "member-search", query] as const,
  /** One member by id (TMember, or null when not a member I can see). */
  member: (slug: string, userId: string) => ["workspace", slug, "member", userId] as const,
  invites: (slug: string) => ["workspace", slug, "invites"] as const,
  /** The sidebar's list (owned by the chat shell); invalidate it after joining, creating or leaving. */
  sidebarChannels: (slug: string) => ["channels", slug] as const,
  browseChannels: (slug: string) => ["channels", slug, "browse"] as const,
  channel: (channelId: string) => ["channel", channelId, "details"] as const,
  channelMembers: (channelId: string) => ["channel", channelId, "members"] as const,
};

/** Sends the person to sign in when their session has ended (expired, deactivated, password changed). */
export function redirectToLogin(): void {
  const here = `${window.location.pathname}${window.location.search}`;
  window.location.assign(`/login?callbackUrl=${encodeURIComponent(here)}`);
}

/** Whether an error means "you are not signed in any more". */
export function isUnauthorized(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401;
}

/** useQuery for our API that sends the person to /login when the session has ended. */
function useApiQuery<T>(options: UseQueryOptions<T, Error, T, readonly unknown[]>) {
  const query = useQuery({
    ...options,
    // Retrying cannot fix "signed out", "forbidden" or "not found".
    retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
  });
  useEffect(() => {
    if (isUnauthorized(query.error)) redirectToLogin();
  }, [query.error]);
  return query;
}

/**
 * The signed-in person's own profile: the chat shell's query (one cache entry, one request per
 * page; a rename shows everywhere at once), plus the trip to /login when the session has ended.
 */
export function useMe() {
  const query = useMyself();
  useEffect(() => {
    if (isUnauthorized(query.error)) redirectToLogin();
  }, [query.error]);
  return query;
}

/** Workspaces I am an active member of, with my role. */
export function useMyWorkspaces(options: { enabled?: boolean } = {}) {
  return useApiQuery({
    queryKey: queryKeys.myWorkspaces,
    queryFn: ({ signal }) => api<{ workspaces: TMyWorkspace[] }>("/api/workspaces", { signal }).then((r) => r.workspaces),
    enabled: options.enabled,
  });
}

/** One workspace with my role in it. */
export function useWorkspace(slug: string, options: { enabled?: boolean } = {}) {
  return useApiQuery({
    queryKey: queryKeys.workspace(slug),
    queryFn: ({ signal }) => api<{ workspace: TMyWorkspace }>(apiPaths.workspace(slug), { signal }).then((r) => r.workspace),
    enabled: options.enabled,
  });
}

type TLookup = { resolve: (member: TMember | null) => void; reject: (err: unknown) => void };

/** Per workspace: the members asked for in the current task, with whoever waits for each. */
const memberLookups = new Map<string, Map<string, TLookup[]>>();

/**
 * One member by id, fetched together with every other lookup asked for in the same task (one
 * `?ids=` request per 100): a screen naming 30 people costs one request, not 30, nor the whole
 * member list of a large workspace.
 */
export function lookUpMember(slug: string, userId: string): Promise<TMember | null> {
  return new Promise((resolve, reject) => {
    let batch = memberLookups.get(slug);
    if (!batch) {
      batch = new Map();
      memberLookups.set(slug, batch);
      setTimeout(() => sendMemberLookups(slug), 0);
    }
    batch.set(userId, [...(batch.get(userId) ?? []), { resolve, reject }]);
  });
}

function sendMemberLookups(slug: string): void {
  const batch = memberLookups.get(slug);
  memberLookups.delete(slug);
  const ids = [...(batch?.keys() ?? [])];
  for (let start = 0; start < ids.length; start += MEMBER_LOOKUP_MAX) {
    const chunk = ids.slice(start, start + MEMBER_LOOKUP_MAX);
    api<{ members: TMember[] }>(`/api/workspaces/${encodeURIComponent(slug)}/members?ids=${chunk.map(encodeURIComponent).join(",")}`).then(
      ({ members }) => {
        const byId = new Map(members.map((m) => [m.userId, m]));
        for (const id of chunk) for (const waiter of batch!.get(id)!) waiter.resolve(byId.get(id) ?? null);
      },
      (err: unknown) => {
        for (const id of chunk) for (const waiter of batch!.get(id)!) waiter.reject(err);
      },
    );
  }
}

/** One member's query, looked up with the others of the same task. */
function memberQuery(slug: string, userId: string) {
  return {
    queryKey: queryKeys.member(slug, userId),
    queryFn: () => lookUpMember(slug, userId),
    // Names rarely change; a workspace change invalidates them (the ["workspace"] prefix).
    staleTime: 5 * 60_000,
    retry: (count: number, err: Error) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
  };
}

/** One member of the workspace by id: undefined while loading, null when not a member I can see. */
export function useMember(slug: string, userId: string | null | undefined): TMember | null | undefined {
  const query = useQuery({ ...memberQuery(slug, userId ?? ""), enabled: !!userId });
  return userId ? query.data : null;
}

/** These members by id (those known so far). */
export function useMembersById(slug: string, userIds: readonly string[]): Map<string, TMember> {
  return useQueries({
    queries: userIds.map((id) => memberQuery(slug, id)),
    combine: (results) => new Map(results.flatMap((r, i) => (r.data ? [[userIds[i]!, r.data] as const] : []))),
  });
}

/** Names of these members (those known so far), for labels that list people. */
export function useMemberNames(slug: string, userIds: readonly string[]): Map<string, string> {
  const members = useMembersById(slug, userIds);
  return new Map([...members].map(([id, member]) => [id, member.name]));
}

/** How many people a search of members shows; more matching asks the person to narrow it down. */
const SEARCH_PAGE = 50;
/** How long typing pauses before a search of members goes to the server. */
export const SEARCH_DELAY_MS = 150;

/**
 * People to pick: active members whose name or email contains `query`, by name, leaving out the
 * members of `notInChannel` (the last answer shows while typing on).
 */
export function useMemberSearch(slug: string, query: string, notInChannel?: string) {
  const params = new URLSearchParams({ q: query, limit: String(SEARCH_PAGE), ...(notInChannel ? { notInChannel } : {}) });
  return useApiQuery({
    queryKey: [...queryKeys.memberSearch(slug, query), notInChannel ?? null],
    queryFn: ({ signal }) => api<TMemberPage>(`/api/workspaces/${encodeURIComponent(slug)}/members?${params}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

/** Invites: admins see all, others their own. */
export function useInvites(slug: string, options: { enabled?: boolean } = {}) {
  return useApiQuery({
    queryKey: queryKeys.invites(slug),
    queryFn: ({ signal }) => api<{ invites: TInvite[] }>(`/api/workspaces/${encodeURIComponent(slug)}/invites`, { signal }).then((r) => r.invites),
    enabled: options.enabled,
  });
}

/** Public and announcement channels anyone may join (archived included). */
export function useBrowseChannels(slug: string, options: { enabled?: boolean } = {}) {
  return useApiQuery({
    queryKey: queryKeys.browseChannels(slug),
    queryFn: ({ signal }) => api<{ channels: TChannelView[] }>(`/api/workspaces/${encodeURIComponent(slug)}/channels/browse`, { signal }).then((r) => r.channels),
    enabled: options.enabled,
  });
}

function fetchChannel(channelId: string, signal?: AbortSignal): Promise<TChannelView> {
  return api<{ channel: TChannelView }>(apiPaths.channel(channelId), { signal }).then((r) => r.channel);
}

/** One conversation as I see it. */
export function useChannel(channelId: string, options: { enabled?: boolean } = {}) {
  return useApiQuery({
    queryKey: queryKeys.channel(channelId),
    queryFn: ({ signal }) => fetchChannel(channelId, signal),
    enabled: options.enabled,
  });
}

/**
 * Loads a conversation's details before it is opened (no-op while the cached copy is fresh), so that
 * opening it does not re-render the whole view when they arrive in place of the sidebar's copy.
 */
export function prefetchChannel(queryClient: QueryClient, channelId: string): Promise<void> {
  return queryClient.prefetchQuery({ queryKey: queryKeys.channel(channelId), queryFn: ({ signal }) => fetchChannel(channelId, signal) });
}

type TMemberPage = { members: TMember[]; hasMore: boolean; nextCursor: string | null };

/**
 * The workspace's member list (settings): members whose name or email contains `query`, by name, a
 * page at a time (`fetchNextPage`); deactivated ones too for admins.
 */
export function useMemberDirectory(slug: string, query: string) {
  const result = useInfiniteQuery({
    queryKey: [...queryKeys.memberSearch(slug, query), "directory"],
    queryFn: ({ signal, pageParam }) => {
      const params = new URLSearchParams({ q: query, limit: String(SEARCH_PAGE), status: "all", ...(pageParam ? { cursor: pageParam } : {}) });
      return api<TMemberPage>(`/api/workspaces/${encodeURIComponent(slug)}/members?${params}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
  });
  useEffect(() => {
    if (isUnauthorized(result.error)) redirectToLogin();
  }, [result.error]);
  return result;
}

/** The people in a conversation whose name or email contains `query`, by name (a page; the last answer shows while typing on). */
export function useChannelMemberSearch(channelId: string, query: string) {
  return useApiQuery({
    queryKey: [...queryKeys.channelMembers(channelId), query],
    queryFn: ({ signal }) =>
      api<{ members: TChannelMember[]; hasMore: boolean }>(`/api/channels/${encodeURIComponent(channelId)}/members?${new URLSearchParams({ q: query, limit: String(SEARCH_PAGE) })}`, { signal }),
    placeholderData: keepPreviousData,
  });
}
