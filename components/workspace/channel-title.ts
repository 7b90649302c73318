import type { TChannelView } from "@/lib/channels/schema";

/** "#design", or the other people's names for a direct message ("Ada, 王小明"). */
export function getChannelTitle(channel: Pick<TChannelView, "name" | "dmMembers">): string {
  if (channel.name) return `#${channel.name}`;
  const names = channel.dmMembers?.map((m) => m.name) ?? [];
  return names.length > 0 ? names.join(", ") : "Direct message";
}

/** Whether this is a one-to-one or group direct message. */
export function isDirectMessage(channel: Pick<TChannelView, "kind">): boolean {
  return channel.kind === "DM" || channel.kind === "GROUP_DM";
}
