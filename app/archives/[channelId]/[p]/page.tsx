// Slack-style permalinks (chat.getPermalink): /archives/<channel>/p<ts without the dot> → the conversation.
import { notFound, redirect } from "next/navigation";
import { getChannelAccess } from "@/lib/channels/access";
import { requirePageActor } from "@/lib/auth/page-session";
import { getWorkspaceAccess } from "@/lib/workspaces/service";

type TProps = { params: Promise<{ channelId: string; p: string }>; searchParams: Promise<{ thread_ts?: string }> };

export default async function PermalinkPage({ params, searchParams }: TProps) {
  const { channelId, p } = await params;
  const { thread_ts: threadTs } = await searchParams;
  const actor = await requirePageActor(`/archives/${channelId}/${p}`);
  const digits = /^p(\d{7,})$/.exec(p)?.[1];
  if (!digits) notFound();
  const access = await getChannelAccess(actor, channelId).catch(() => null);
  if (!access) notFound();
  const { workspace } = await getWorkspaceAccess({ actor, workspaceId: access.channel.workspaceId });
  const ts = `${digits.slice(0, -6)}.${digits.slice(-6)}`;
  const query = new URLSearchParams({ ts, ...(threadTs ? { thread_ts: threadTs } : {}) });
  redirect(`/w/${workspace.slug}/c/${channelId}?${query}`);
}
