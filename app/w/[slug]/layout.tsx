import { WorkspaceShell } from "@/components/chat/workspace-shell";

/** Every workspace screen sits in the shell (sidebar + main). Pages do the authorising. */
export default async function WorkspaceLayout({ children, params }: { children: React.ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return <WorkspaceShell slug={slug}>{children}</WorkspaceShell>;
}
