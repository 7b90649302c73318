"use client";
/**
 * The workspace frame: sidebar and main pane. On narrow screens the sidebar is a drawer that the
 * header's menu button opens and any navigation closes.
 */
import { useQueryClient } from "@tanstack/react-query";
import { usePathname } from "next/navigation";
import Link from "next/link";
import { createContext, memo, useContext, useDeferredValue, useEffect, useMemo, useState } from "react";
import { LoadingRow } from "@/components/ui/spinner";
import { cn } from "@/components/ui/cn";
import { ChatProvider } from "@/components/chat/chat-provider";
// Imported for its effect: it starts loading the message formatting code, which a conversation's
// first screen waits for, with the shell's scripts — not once the conversation's own code has
// arrived and run, one network round trip and ~60 ms of evaluation later.
import "@/components/chat/lazy-formatting";
import { getConversationIdFromPath } from "@/components/chat/conversation-location";
import { MenuIcon } from "@/components/chat/icons";
import { Sidebar } from "@/components/chat/sidebar";
import { SlackDirectoryProvider } from "@/components/chat/slack/directory";
import { SearchBar } from "@/components/search/search-bar";
import { rememberLastWorkspace } from "@/components/workspace/last-workspace";
import { isUnauthorized, redirectToLogin, useWorkspace } from "@/components/workspace/queries";
import { ApiError } from "@/lib/client/api";
import { prefetchTimeline, useMe } from "@/lib/client/queries";

// The shell re-renders when the URL changes (every conversation switch); the search bar need not.
const MemoSearchBar = memo(SearchBar);

const ShellNavContext = createContext<{ openNav: () => void }>({ openNav: () => undefined });

/** Opens the sidebar drawer on narrow screens. */
export function useOpenNav(): () => void {
  return useContext(ShellNavContext).openNav;
}

/** The menu button that opens the sidebar on narrow screens (hidden on wide ones). */
export function OpenNavButton() {
  const openNav = useOpenNav();
  return (
    <button type="button" aria-label="Open sidebar" onClick={openNav} className="-ml-1 rounded-md p-1.5 text-slate-600 hover:bg-slate-100 md:hidden">
      <MenuIcon className="size-5" />
    </button>
  );
}

function WorkspaceUnavailable() {
  return (
    <main className="flex h-dvh flex-col items-center justify-center gap-3 p-6 text-center">
      <h1 className="text-xl font-bold">This workspace is not available</h1>
      <p className="max-w-sm text-slate-600">It does not exist, or you are not a member of it.</p>
      <Link href="/workspaces" className="font-semibold text-[#1264a3] hover:underline">
        See your workspaces
      </Link>
    </main>
  );
}

export function WorkspaceShell({ slug, children }: { slug: string; children: React.ReactNode }) {
  const me = useMe();
  // The whole chat mounts when /api/me answers: as a transition, which React renders in slices the
  // browser can paint and answer input between (one sync render of it was a 150 ms task on a load).
  const meData = useDeferredValue(me.data);
  const workspace = useWorkspace(slug);
  const pathname = usePathname();
  const [isNavOpen, setNavOpen] = useState(false);
  // Loaded at a conversation: ask for its newest page now, alongside /api/me, not after it.
  const queryClient = useQueryClient();
  const [initialChannelId] = useState(() => getConversationIdFromPath(pathname));
  useEffect(() => {
    if (initialChannelId) void prefetchTimeline(queryClient, initialChannelId);
  }, [queryClient, initialChannelId]);

  const navContext = useMemo(() => ({ openNav: () => setNavOpen(true) }), []);
  useEffect(() => setNavOpen(false), [pathname]);
  useEffect(() => {
    if (isUnauthorized(me.error)) redirectToLogin();
  }, [me.error]);
  useEffect(() => {
    if (workspace.isSuccess) rememberLastWorkspace(slug);
  }, [workspace.isSuccess, slug]);

  if (workspace.error instanceof ApiError && workspace.error.status === 404) return <WorkspaceUnavailable />;
  if (!meData) {
    return (
      <main className="flex h-dvh items-center justify-center">
        <LoadingRow label={me.isError && !isUnauthorized(me.error) ? "Cannot reach the server; retrying…" : "Loading…"} />
      </main>
    );
  }

  return (
    <ChatProvider slug={slug} me={meData} role={workspace.data?.role}>
      <SlackDirectoryProvider slug={slug} meId={meData.id}>
        <ShellNavContext.Provider value={navContext}>
          <div className="flex h-dvh overflow-hidden">
            <div aria-hidden="true" onClick={() => setNavOpen(false)} className={cn("fixed inset-0 z-30 bg-slate-900/50 md:hidden", isNavOpen ? "block" : "hidden")} />
            <aside className={cn("fixed inset-y-0 left-0 z-40 w-72 transition-transform duration-200 md:static md:w-64 md:translate-x-0", isNavOpen ? "translate-x-0" : "-translate-x-full")}>
              <Sidebar slug={slug} />
            </aside>
            <div className="flex min-h-0 min-w-0 flex-1 flex-col">
              <MemoSearchBar slug={slug} />
              <main className="flex min-h-0 min-w-0 flex-1 flex-col overflow-y-auto">{children}</main>
            </div>
          </div>
        </ShellNavContext.Provider>
      </SlackDirectoryProvider>
    </ChatProvider>
  );
}
