"use client";
/**
 * Ephemeral messages of the open conversation ("Only visible to you"), shown just above the composer
 * with a dismiss button. They live only in this tab's memory (lib/client/ephemerals.ts).
 */
import { Avatar } from "@/components/ui/avatar";
import { MessageContent } from "@/components/chat/slack/message-content";
import { dismissEphemeral, useEphemerals } from "@/lib/client/ephemerals";

export function CommandEphemerals({ channelId }: { channelId: string }) {
  const list = useEphemerals(channelId);
  if (list.length === 0) return null;
  return (
    <ul aria-label="Only visible to you" aria-live="polite" className="mb-2 max-h-72 space-y-1 overflow-y-auto">
      {list.map((m) => (
        <li key={m.id} data-testid="ephemeral-message" className="flex gap-2 rounded-lg border border-slate-200 bg-slate-50 px-3 py-2">
          <Avatar name={m.overrideName ?? m.sender.name} seed={m.sender.id} size="sm" />
          <div className="min-w-0 flex-1">
            <p className="flex items-baseline gap-2 text-xs text-slate-500">
              <span className="font-bold text-slate-800">{m.overrideName ?? m.sender.name}</span>
              {m.sender.isBot && <span className="rounded bg-slate-200 px-1 text-[10px] font-semibold text-slate-600 uppercase">App</span>}
              <span>Only visible to you</span>
            </p>
            <MessageContent message={m} body={m.body} />
          </div>
          <button
            type="button"
            aria-label="Dismiss message"
            title="Dismiss"
            onClick={() => dismissEphemeral(channelId, m.id)}
            className="self-start rounded px-1.5 text-lg leading-none text-slate-400 hover:bg-slate-200 hover:text-slate-700"
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
