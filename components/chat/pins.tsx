"use client";
/**
 * The channel header's pinned-messages button: how many (the channel's pinCount, kept current by the
 * channels.updated a pin change announces), and the list (newest pin first) with unpin, fetched when
 * opened rather than with every channel.
 */
import { useCallback, useState } from "react";
import { Spinner } from "@/components/ui/spinner";
import { useChat } from "@/components/chat/chat-provider";
import { formatDayLabel, formatFullDateTime, formatTime } from "@/components/chat/format-time";
import { MessageBody } from "@/components/chat/message-body";
import { PinIcon } from "@/components/chat/message-extras";
import { Popover } from "@/components/chat/popover";
import type { TChannelView } from "@/lib/channels/schema";
import { setPinned } from "@/lib/client/message-actions";
import { usePins } from "@/lib/client/queries";

export function PinnedMessagesButton({ channel }: { channel: TChannelView }) {
  const { channelSync } = useChat();
  const [anchor, setAnchor] = useState<HTMLButtonElement | null>(null);
  const [isOpen, setOpen] = useState(false);
  const pins = usePins(channel.id, { enabled: isOpen });
  const [error, setError] = useState<string | null>(null);
  const close = useCallback(() => setOpen(false), []);
  const count = channel.pinCount;
  const canUnpin = channel.isMember && !channel.archivedAt;

  const unpin = async (messageId: string) => {
    setError(null);
    try {
      channelSync.applyAcknowledged(await setPinned(messageId, false));
      await pins.refetch();
    } catch (err) {
      setError(err instanceof Error ? err.message : "Could not unpin");
    }
  };

  return (
    <>
      <button
        ref={setAnchor}
        type="button"
        onClick={() => setOpen((v) => !v)}
        aria-expanded={isOpen}
        aria-label={`Pinned messages: ${count}`}
        title="Pinned messages"
        data-testid="pins-button"
        className="flex items-center gap-1 rounded-md border border-slate-200 px-2 py-1 text-sm text-slate-700 hover:bg-slate-50"
      >
        <PinIcon />
        <span data-testid="pin-count">{count}</span>
      </button>
      {isOpen && (
        <Popover anchor={anchor} onClose={close} label="Pinned messages" width={360}>
          <div className="border-b border-slate-200 px-3 py-2 text-sm font-bold">Pinned messages</div>
          <div className="max-h-96 overflow-y-auto" data-testid="pins-list">
            {pins.isPending ? (
              <div className="flex justify-center p-4">
                <Spinner />
              </div>
            ) : pins.isError ? (
              <p role="alert" className="p-3 text-sm text-red-600">
                Could not load pinned messages.
              </p>
            ) : pins.data!.length === 0 ? (
              <p className="p-4 text-center text-sm text-slate-500">Nothing is pinned yet. Pin important messages from a message’s menu.</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {pins.data!.map((m) => (
                  <li key={m.id} data-testid="pinned-message" className="group px-3 py-2">
                    <div className="flex items-baseline gap-2">
                      <span className="min-w-0 truncate text-sm font-bold">{m.sender.name}</span>
                      <time dateTime={m.createdAt} title={formatFullDateTime(m.createdAt)} className="shrink-0 text-xs text-slate-500">
                        {formatDayLabel(m.createdAt)} {formatTime(m.createdAt)}
                      </time>
                      {canUnpin && (
                        <button type="button" onClick={() => void unpin(m.id)} className="ml-auto text-xs font-semibold text-[#1264a3] hover:underline">
                          Unpin
                        </button>
                      )}
                    </div>
                    <div className="line-clamp-4 text-sm">
                      <MessageBody body={m.body} markup={m.markup} />
                    </div>
                  </li>
                ))}
              </ul>
            )}
            {error && (
              <p role="alert" className="px-3 pb-2 text-xs text-red-600">
                {error}
              </p>
            )}
          </div>
        </Popover>
      )}
    </>
  );
}
