"use client";

import { useQuery } from "@tanstack/react-query";
import { useAudit, useBots, type TAuditRow } from "@/components/integrations/queries";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { formatDateTime } from "@/components/ui/format-date";
import { describeError } from "@/components/ui/form-errors";
import { LoadingRow } from "@/components/ui/spinner";
import { useMembersById } from "@/components/workspace/queries";
import { api } from "@/lib/client/api";
import { apiPaths } from "@/lib/client/api-paths";
import type { TChannelView } from "@/lib/channels/schema";

const actionLabels: Record<string, string> = {
  "bot.created": "Created a bot",
  "bot.updated": "Changed a bot",
  "bot.token_rotated": "Rotated a bot token",
  "bot.deactivated": "Deactivated a bot",
  "bot.events_url_set": "Set the events URL",
  "bot.events_off": "Turned events off",
  "bot.events_disabled": "Events disabled after failures",
  "bot.events_reenabled": "Re-enabled events",
  "token.created": "Created a personal token",
  "token.revoked": "Revoked a token",
  "webhook.created": "Created a webhook",
  "webhook.revoked": "Revoked a webhook",
  "webhook.posted": "Posted through a webhook",
};

/** "chat.postMessage via API" for Web API calls, a sentence for known actions, the raw name otherwise. */
function describeAction(action: string): string {
  if (action.startsWith("api.")) return `Called ${action.slice(4)}`;
  return actionLabels[action] ?? action;
}

/** Channels I am in, for naming targets. */
function useChannelNames(slug: string) {
  return useQuery({
    queryKey: ["integrations", slug, "channel-names"],
    queryFn: ({ signal }) => api<{ channels: TChannelView[] }>(apiPaths.sidebarChannels(slug), { signal }).then((r) => r.channels),
  });
}

function shortId(id: string): string {
  return id.length > 10 ? `${id.slice(0, 10)}…` : id;
}

/** The audit log: time, who (person or bot, and whether through a token), action, target; paged. */
export function AuditLog({ slug }: { slug: string }) {
  const audit = useAudit(slug);
  const bots = useBots(slug);
  const channels = useChannelNames(slug);
  const entries = audit.data?.pages.flatMap((p) => p.entries) ?? [];
  // The people the shown entries name, looked up by id (not the whole member list).
  const actors = useMembersById(slug, [...new Set(entries.flatMap((e) => (e.actorId ? [e.actorId] : [])))]);

  if (audit.isPending) return <LoadingRow label="Loading the audit log…" />;
  if (audit.error && !audit.data) return <Alert title="Could not load the audit log">{describeError(audit.error)}</Alert>;
  if (entries.length === 0) return <p className="rounded-xl border border-dashed border-slate-300 bg-white px-5 py-6 text-center text-sm text-slate-500">Nothing recorded yet.</p>;

  const who = (row: TAuditRow) => {
    if (!row.actorId) return "Parley";
    const m = actors.get(row.actorId);
    return m ? `${m.name}${m.isBot ? " (bot)" : ""}` : shortId(row.actorId);
  };
  const target = (row: TAuditRow) => {
    if (!row.targetId) return "—";
    if (row.targetType === "bot") {
      const b = bots.data?.find((x) => x.id === row.targetId);
      return b ? `Bot ${b.name}` : `Bot ${shortId(row.targetId)}`;
    }
    if (row.targetType === "channel") {
      const c = channels.data?.find((x) => x.id === row.targetId);
      return c?.name ? `#${c.name}` : c ? "A conversation" : `Channel ${shortId(row.targetId)}`;
    }
    return `${row.targetType ?? "Item"} ${shortId(row.targetId)}`;
  };

  return (
    <div className="space-y-3">
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="w-full min-w-[640px] text-left text-sm">
          <caption className="sr-only">Audit log, newest first</caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs font-semibold tracking-wide text-slate-500 uppercase">
            <tr>
              <th scope="col" className="py-2.5 pr-3 pl-4">Time</th>
              <th scope="col" className="px-3 py-2.5">Who</th>
              <th scope="col" className="px-3 py-2.5">Action</th>
              <th scope="col" className="py-2.5 pr-4 pl-3">Target</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {entries.map((row) => (
              <tr key={row.id}>
                <td className="py-2.5 pr-3 pl-4 whitespace-nowrap text-slate-600">
                  <time dateTime={row.createdAt}>{formatDateTime(row.createdAt)}</time>
                </td>
                <td className="px-3 py-2.5 break-words text-slate-900">
                  {who(row)}
                  {row.tokenId && <span className="block text-xs text-slate-500">via API token</span>}
                </td>
                <td className="px-3 py-2.5 break-words text-slate-800">
                  {describeAction(row.action)}
                  <code className="block font-mono text-xs text-slate-500">{row.action}</code>
                </td>
                <td className="py-2.5 pr-4 pl-3 break-words text-slate-700">{target(row)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex items-center justify-between gap-3 text-sm text-slate-500">
        <span aria-live="polite">
          {entries.length} entr{entries.length === 1 ? "y" : "ies"} shown
        </span>
        {audit.hasNextPage ? (
          <Button variant="secondary" size="sm" isLoading={audit.isFetchingNextPage} onClick={() => void audit.fetchNextPage()}>
            Show older entries
          </Button>
        ) : (
          <span>That is everything.</span>
        )}
      </div>
      {audit.isFetchNextPageError && <Alert>{describeError(audit.error)}</Alert>}
    </div>
  );
}
