import { WorkspaceShell } from "@/components/chat/workspace-shell";
import { apiPaths, preloadApiReads } from "@/lib/client/api-paths";

/** Every workspace screen sits in the shell (sidebar + main). Pages do the authorising. */
export default async function WorkspaceLayout({ children, params }: { children: React.ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  // What the shell asks for first, on its way while the scripts load.
  preloadApiReads([apiPaths.me, apiPaths.workspace(slug), apiPaths.sidebarChannels(slug)]);
  return <WorkspaceShell slug={slug}>{children}</WorkspaceShell>;
}
