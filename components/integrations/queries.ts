"use client";
/**
 * Data hooks for the Integrations page and Profile → API tokens. Keys live under ["integrations", …]
 * so one prefix invalidation refreshes the page after any change.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { isUnauthorized, redirectToLogin } from "@/components/workspace/queries";
import { api, ApiError } from "@/lib/client/api";
import { refreshAfterChange } from "@/lib/client/refresh-after-change";
import type { TCommandInfo } from "@/lib/commands/schema";
import type { TEventsStatus } from "@/lib/events/schema";
import type { TApiToken, TBot, TWebhook } from "@/lib/integrations/schema";

export type TAuditRow = { id: string; workspaceId: string; actorId: string | null; tokenId: string | null; action: string; targetType: string | null; targetId: string | null; details: unknown; ip: string | null; createdAt: string };
export type TAuditPage = { entries: TAuditRow[]; hasMore: boolean; nextBefore: string | null };
export type TNewBot = { bot: TBot; token: string; signingSecret: string };
export type TIssuedToken = { token: string; apiToken: TApiToken };
export type TNewWebhook = { webhook: TWebhook; url: string; path: string };

const enc = encodeURIComponent;

export const integrationKeys = {
  all: ["integrations"] as const,
  bots: (slug: string) => ["integrations", slug, "bots"] as const,
  events: (botId: string) => ["integrations", "bot", botId, "events"] as const,
  commands: (slug: string) => ["integrations", slug, "commands"] as const,
  webhooks: (slug: string) => ["integrations", slug, "webhooks"] as const,
  audit: (slug: string) => ["integrations", slug, "audit"] as const,
  myTokens: (slug: string) => ["integrations", slug, "my-tokens"] as const,
};

/** 4xx answers are final: retrying cannot fix "forbidden" or "not found". */
function retry(count: number, err: Error): boolean {
  return !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2;
}

/** Sends the person to /login when their session ended while the page was open. */
function useLoginOnUnauthorized(error: unknown): void {
  useEffect(() => {
    if (isUnauthorized(error)) redirectToLogin();
  }, [error]);
}

export function useBots(slug: string, options: { enabled?: boolean } = {}) {
  const q = useQuery({ queryKey: integrationKeys.bots(slug), queryFn: ({ signal }) => api<{ bots: TBot[] }>(`/api/workspaces/${enc(slug)}/bots`, { signal }).then((r) => r.bots), retry, enabled: options.enabled });
  useLoginOnUnauthorized(q.error);
  return q;
}

export function useBotEvents(botId: string, options: { enabled?: boolean } = {}) {
  const q = useQuery({ queryKey: integrationKeys.events(botId), queryFn: ({ signal }) => api<{ events: TEventsStatus }>(`/api/bots/${enc(botId)}/events`, { signal }).then((r) => r.events), retry, enabled: options.enabled });
  useLoginOnUnauthorized(q.error);
  return q;
}

/** Registered slash commands (the slash helper's routes); admins get ids, bot ids and URLs. */
export function useCommands(slug: string, options: { enabled?: boolean } = {}) {
  const q = useQuery({
    queryKey: integrationKeys.commands(slug),
    queryFn: ({ signal }) => api<{ commands: TCommandInfo[] }>(`/api/workspaces/${enc(slug)}/commands`, { signal }).then((r) => r.commands.filter((c) => !c.builtin)),
    retry,
    enabled: options.enabled,
  });
  useLoginOnUnauthorized(q.error);
  return q;
}

export function useWebhooks(slug: string, options: { enabled?: boolean } = {}) {
  const q = useQuery({ queryKey: integrationKeys.webhooks(slug), queryFn: ({ signal }) => api<{ webhooks: TWebhook[] }>(`/api/workspaces/${enc(slug)}/webhooks`, { signal }).then((r) => r.webhooks), retry, enabled: options.enabled });
  useLoginOnUnauthorized(q.error);
  return q;
}

export const AUDIT_PAGE_SIZE = 25;

/** The audit log, newest first, a page at a time ("Show older" asks for entries before the last one). */
export function useAudit(slug: string, options: { enabled?: boolean } = {}) {
  const q = useInfiniteQuery({
    queryKey: integrationKeys.audit(slug),
    queryFn: ({ signal, pageParam }) =>
      api<TAuditPage>(`/api/workspaces/${enc(slug)}/audit?limit=${AUDIT_PAGE_SIZE}${pageParam ? `&before=${enc(pageParam)}` : ""}`, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.hasMore ? last.nextBefore : null),
    retry,
    enabled: options.enabled,
  });
  useLoginOnUnauthorized(q.error);
  return q;
}

export function useMyTokens(slug: string | undefined) {
  const q = useQuery({
    queryKey: integrationKeys.myTokens(slug ?? ""),
    queryFn: ({ signal }) => api<{ tokens: TApiToken[] }>(`/api/workspaces/${enc(slug!)}/tokens`, { signal }).then((r) => r.tokens),
    retry,
    enabled: !!slug,
  });
  useLoginOnUnauthorized(q.error);
  return q;
}

/**
 * A mutation that refreshes everything integrations-related when it succeeds (the audit log
 * included, since every change writes an entry) and sends a signed-out person to /login.
 */
export function useIntegrationMutation<TVars, TData>(mutationFn: (vars: TVars) => Promise<TData>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => refreshAfterChange(queryClient, integrationKeys.all),
    onError: (err) => {
      if (isUnauthorized(err)) redirectToLogin();
    },
  });
}
