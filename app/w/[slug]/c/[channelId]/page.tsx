import { ChannelView } from "@/components/chat/channel-view";
import { requirePageActor } from "@/lib/auth/page-session";

/** One conversation. Access to its content is checked by the API it reads; here: signed in at all. */
export default async function ChannelPage({ params }: { params: Promise<{ slug: string; channelId: string }> }) {
  const { slug, channelId } = await params;
  await requirePageActor(`/w/${encodeURIComponent(slug)}/c/${encodeURIComponent(channelId)}`);
  // Keyed so switching channels starts each view fresh (draft, scroll, editing state).
  return <ChannelView key={channelId} channelId={channelId} />;
}
