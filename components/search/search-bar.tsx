"use client";
/**
 * The workspace's search box (top bar) and its results panel. Enter searches (not while an input
 * method is composing Chinese); Ctrl/⌘+K or "/" focuses the box from anywhere outside a text field;
 * ↑/↓ move through results, Enter opens one, Esc closes. Results show the conversation, author, time
 * and the matched words marked; opening one goes to the conversation, and to its thread for a reply.
 */
import { useInfiniteQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { Avatar } from "@/components/ui/avatar";
import { cn } from "@/components/ui/cn";
import { formatDateTime } from "@/components/ui/format-date";
import { Spinner } from "@/components/ui/spinner";
import { getConversationHref, switchConversationInPlace } from "@/components/chat/conversation-location";
import { ArchiveIcon, HashIcon, LockIcon, SearchIcon } from "@/components/chat/icons";
import { HighlightedText } from "@/components/search/highlighted-text";
import { api, ApiError } from "@/lib/client/api";
import type { TSearchMatch, TSearchResult, TSearchSort } from "@/lib/search/schema";

const PAGE_SIZE = 20;

function useSearch(slug: string, query: string, sort: TSearchSort) {
  return useInfiniteQuery({
    queryKey: ["search", slug, query, sort],
    queryFn: ({ signal, pageParam }) => {
      const params = new URLSearchParams({ q: query, sort, limit: String(PAGE_SIZE), tz: String(new Date().getTimezoneOffset()) });
      if (pageParam) params.set("cursor", pageParam);
      return api<TSearchResult>(`/api/workspaces/${encodeURIComponent(slug)}/search?${params}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: query.length > 0,
    retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
    staleTime: 10_000,
  });
}

/** "#general", "Ada, 李雷" for DMs. */
function conversationLabel(m: TSearchMatch): string {
  if (m.channel.kind === "DM" || m.channel.kind === "GROUP_DM") {
    const names = m.channel.dmMembers?.map((p) => p.name) ?? [];
    return names.length ? names.join(", ") : "You";
  }
  return `#${m.channel.name ?? ""}`;
}

function isTypingTarget(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  return el.isContentEditable || el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT";
}

export function SearchBar({ slug }: { slug: string }) {
  const router = useRouter();
  const inputRef = useRef<HTMLInputElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const listId = useId();
  const [text, setText] = useState("");
  const [query, setQuery] = useState("");
  const [sort, setSort] = useState<TSearchSort>("newest");
  const [isOpen, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const search = useSearch(slug, query, sort);
  const matches = search.data?.pages.flatMap((p) => p.matches) ?? [];
  const first = search.data?.pages[0];

  // Ctrl/⌘+K anywhere, "/" outside text fields: focus the box.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const isShortcut = (e.key === "k" || e.key === "K") && (e.ctrlKey || e.metaKey) && !e.altKey;
      const isSlash = e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !isTypingTarget(e.target);
      if (!isShortcut && !isSlash) return;
      e.preventDefault();
      inputRef.current?.focus();
      inputRef.current?.select();
      if (query) setOpen(true);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [query]);

  // A click outside the box and the panel closes the panel.
  useEffect(() => {
    if (!isOpen) return;
    const onDown = (e: MouseEvent) => {
      const t = e.target as Node;
      if (panelRef.current?.contains(t) || inputRef.current?.contains(t)) return;
      setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [isOpen]);

  const submit = useCallback(() => {
    const q = text.trim();
    if (!q) return;
    // The same words again: look again (new messages may match now).
    if (q === query) void search.refetch();
    setQuery(q);
    setActive(-1);
    setOpen(true);
  }, [text, query, search]);

  const openMatch = useCallback(
    (m: TSearchMatch) => {
      setOpen(false);
      inputRef.current?.blur();
      // The conversation opens at the message (a reply: at its thread's root, with the thread open).
      const search = `?${new URLSearchParams({ ts: m.ts, ...(m.threadRootId ? { thread: m.threadRootId } : {}) })}`;
      if (!switchConversationInPlace(slug, m.channelId, search)) router.push(getConversationHref(slug, m.channelId, search));
    },
    [router, slug],
  );

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    // Enter that confirms an input method's candidate (Chinese, Japanese…) is not a search.
    if (e.nativeEvent.isComposing || e.keyCode === 229) return;
    if (e.key === "Escape") {
      if (isOpen) setOpen(false);
      else inputRef.current?.blur();
      return;
    }
    if (e.key === "ArrowDown" && isOpen && matches.length) {
      e.preventDefault();
      setActive((i) => Math.min(matches.length - 1, i + 1));
      return;
    }
    if (e.key === "ArrowUp" && isOpen && matches.length) {
      e.preventDefault();
      setActive((i) => Math.max(-1, i - 1));
      return;
    }
    if (e.key === "Enter") {
      e.preventDefault();
      if (isOpen && active >= 0 && matches[active] && text.trim() === query) openMatch(matches[active]!);
      else submit();
    }
  };

  useEffect(() => {
    if (active < 0) return;
    document.getElementById(`${listId}-${active}`)?.scrollIntoView({ block: "nearest" });
  }, [active, listId]);

  const error = search.error instanceof ApiError ? search.error.message : search.error ? "Search failed; try again" : null;
  const totalLabel = first?.total === null || first?.total === undefined ? "" : `${first.total.toLocaleString()}${first.totalIsLowerBound ? "+" : ""} ${first.total === 1 && !first.totalIsLowerBound ? "result" : "results"}`;

  return (
    <div className="relative border-b border-slate-200 bg-white px-3 py-1.5">
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        className="mx-auto flex max-w-2xl items-center gap-2 rounded-md border border-slate-300 bg-slate-50 px-2 focus-within:border-[#1264a3] focus-within:bg-white"
      >
        <SearchIcon className="size-4 shrink-0 text-slate-500" />
        <input
          ref={inputRef}
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          onFocus={() => query && setOpen(true)}
          placeholder="Search messages (Ctrl+K)"
          aria-label="Search messages"
          // A search box that opens a list of results: ARIA's combobox (aria-expanded needs that role).
          role="combobox"
          aria-haspopup="listbox"
          aria-expanded={isOpen}
          aria-controls={listId}
          aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
          maxLength={500}
          enterKeyHint="search"
          className="h-8 min-w-0 flex-1 bg-transparent text-sm outline-none placeholder:text-slate-500"
        />
        {search.isFetching && <Spinner className="size-4" />}
      </form>

      {isOpen && query && (
        <div
          ref={panelRef}
          className="absolute inset-x-2 top-full z-50 mx-auto mt-1 flex max-h-[70vh] max-w-3xl flex-col overflow-hidden rounded-lg border border-slate-200 bg-white shadow-xl"
          aria-label="Search results"
          role="region"
        >
          <div className="flex items-center gap-3 border-b border-slate-200 px-4 py-2 text-sm">
            <span className="min-w-0 flex-1 truncate text-slate-600" data-testid="search-summary">
              {search.isPending ? "Searching…" : error ? "" : totalLabel}
            </span>
            <label className="flex items-center gap-1 text-slate-600">
              <span>Sort</span>
              <select value={sort} onChange={(e) => setSort(e.target.value as TSearchSort)} className="rounded border border-slate-300 bg-white px-1 py-0.5 text-sm" aria-label="Sort results">
                <option value="newest">Newest</option>
                <option value="oldest">Oldest</option>
                <option value="relevance">Most relevant</option>
              </select>
            </label>
            <button type="button" onClick={() => setOpen(false)} className="rounded px-2 py-0.5 text-slate-500 hover:bg-slate-100" aria-label="Close search results">
              Esc
            </button>
          </div>
          {error && (
            <p role="alert" className="px-4 py-3 text-sm text-red-700">
              {error}
            </p>
          )}
          {!error && !search.isPending && matches.length === 0 && (
            <p className="px-4 py-6 text-center text-sm text-slate-600">
              No messages match <strong className="break-all">{query}</strong>. Try other words, or fewer filters (in:#channel, from:@name, before:/after:/on:YYYY-MM-DD, has:link, &quot;exact phrase&quot;).
            </p>
          )}
          <ul id={listId} role="listbox" aria-label="Messages found" className="min-h-0 flex-1 overflow-y-auto">
            {matches.map((m, i) => (
              <li key={m.id} id={`${listId}-${i}`} role="option" aria-selected={i === active}>
                <button
                  type="button"
                  onClick={() => openMatch(m)}
                  onMouseEnter={() => setActive(i)}
                  className={cn("flex w-full gap-3 border-b border-slate-100 px-4 py-2.5 text-left", i === active ? "bg-sky-50" : "hover:bg-slate-50")}
                  data-testid="search-result"
                >
                  <Avatar name={m.sender.name} seed={m.sender.id} size="md" />
                  <span className="min-w-0 flex-1">
                    <span className="flex flex-wrap items-center gap-x-2 text-xs text-slate-600">
                      <span className="flex items-center gap-0.5 font-semibold text-slate-700">
                        {m.channel.kind === "PRIVATE" ? <LockIcon className="size-3" /> : m.channel.kind === "DM" || m.channel.kind === "GROUP_DM" ? null : <HashIcon className="size-3" />}
                        {conversationLabel(m).replace(/^#/, "")}
                      </span>
                      {m.channel.archived && (
                        <span className="flex items-center gap-0.5">
                          <ArchiveIcon className="size-3" /> archived
                        </span>
                      )}
                      {m.threadRootId && <span>reply in a thread</span>}
                    </span>
                    <span className="flex items-baseline gap-2">
                      <span className="truncate font-bold text-slate-900">{m.sender.name}</span>
                      <time dateTime={m.createdAt} className="shrink-0 text-xs text-slate-500">
                        {formatDateTime(m.createdAt)}
                      </time>
                    </span>
                    <span className="block text-sm break-words whitespace-pre-wrap text-slate-800">
                      <HighlightedText text={m.snippet.text} highlights={m.snippet.highlights} />
                    </span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {search.hasNextPage && (
            <button type="button" onClick={() => search.fetchNextPage()} disabled={search.isFetchingNextPage} className="border-t border-slate-200 px-4 py-2 text-sm font-semibold text-[#1264a3] hover:bg-slate-50">
              {search.isFetchingNextPage ? "Loading…" : "Show more results"}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
