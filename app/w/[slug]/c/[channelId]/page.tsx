import { ConversationRoute } from "@/components/chat/conversation-route";
import { requirePageActor } from "@/lib/auth/page-session";
import { apiPaths, preloadApiReads } from "@/lib/client/api-paths";

/**
 * One conversation. Access to its content is checked by the API it reads; here: signed in at all.
 * Switching between conversations changes only the URL (components/chat/conversation-location.ts),
 * so this runs when a conversation is loaded, reloaded or reached from another screen.
 */
export default async function ChannelPage({ params }: { params: Promise<{ slug: string; channelId: string }> }) {
  const { slug, channelId } = await params;
  // A load of this page draws the conversation first: its details and newest page, on their way now.
  // Named before the session check, which waits on the database: by then the page's <head> has been
  // sent, and a later preload reaches the browser only once its scripts run. (Signed out, the page
  // redirects and these reads would answer 401.)
  preloadApiReads([apiPaths.channel(channelId), apiPaths.newestPage(channelId)]);
  await requirePageActor(`/w/${encodeURIComponent(slug)}/c/${encodeURIComponent(channelId)}`);
  return <ConversationRoute channelId={channelId} />;
}
