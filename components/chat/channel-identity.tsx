/** How a conversation is named and marked everywhere in the chat UI (sidebar, header, composer). */
import { Avatar } from "@/components/ui/avatar";
import { HashIcon, LockIcon, MegaphoneIcon } from "@/components/chat/icons";
import type { TChannelView } from "@/lib/channels/schema";

type TNamedChannel = Pick<TChannelView, "kind" | "name" | "dmMembers">;

export function isDirectMessage(channel: Pick<TChannelView, "kind">): boolean {
  return channel.kind === "DM" || channel.kind === "GROUP_DM";
}

/** "general" for a channel; the other people's names for a DM ("Ada, 李雷"), or mine for a note-to-self. */
export function getChannelTitle(channel: TNamedChannel, myName: string): string {
  if (!isDirectMessage(channel)) return channel.name ?? "";
  const names = channel.dmMembers?.map((m) => m.name) ?? [];
  return names.length ? names.join(", ") : `${myName} (you)`;
}

/** Composer placeholder: "Message #general" or "Message Ada". */
export function getComposerPlaceholder(channel: TNamedChannel, myName: string): string {
  return `Message ${isDirectMessage(channel) ? "" : "#"}${getChannelTitle(channel, myName)}`;
}

/** The mark before a conversation's name: #, a lock, a megaphone, or the other person's avatar. */
export function ChannelGlyph({ channel, className }: { channel: TNamedChannel & { id: string }; className?: string }) {
  if (channel.kind === "PRIVATE") return <LockIcon className={className} />;
  if (channel.kind === "ANNOUNCEMENT") return <MegaphoneIcon className={className} />;
  if (channel.kind === "PUBLIC") return <HashIcon className={className} />;
  const first = channel.dmMembers?.[0];
  if (channel.kind === "GROUP_DM") {
    return (
      <span aria-hidden="true" className="inline-flex size-5 shrink-0 items-center justify-center rounded bg-white/15 text-[10px] font-semibold">
        {(channel.dmMembers?.length ?? 0) + 1}
      </span>
    );
  }
  return <Avatar name={first?.name ?? "?"} seed={first?.id} size="sm" className="size-5! rounded text-[10px]!" />;
}
