import { notFound } from "next/navigation";
import { OpenConversation } from "@/components/chat/open-conversation";
import { requirePageActor } from "@/lib/auth/page-session";
import { listMyChannels } from "@/lib/channels/service";
import { AppError } from "@/lib/errors";

/** /w/:slug opens #general, or the first conversation when there is no #general for me (guests). */
export default async function WorkspaceHome({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePageActor(`/w/${encodeURIComponent(slug)}`);
  let channels;
  try {
    channels = await listMyChannels({ actor, slug });
  } catch (err) {
    if (err instanceof AppError && (err.code === "not_found" || err.code === "forbidden")) notFound();
    throw err;
  }
  const first = channels.find((c) => c.isGeneral) ?? channels.find((c) => c.kind !== "DM" && c.kind !== "GROUP_DM") ?? channels[0];
  // A client-side replace: the shell has already streamed by the time this page renders, and a
  // redirect() thrown here would reach the browser only inside the stream.
  if (first) return <OpenConversation href={`/w/${encodeURIComponent(slug)}/c/${first.id}`} />;
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-2 p-6 text-center">
      <h1 className="text-lg font-bold">No conversations yet</h1>
      <p className="text-slate-600">Browse channels or start a direct message from the sidebar.</p>
    </div>
  );
}
