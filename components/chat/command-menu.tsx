"use client";
/**
 * The slash-command helper in the composer: typing "/" at the start lists matching commands with their
 * usage hints; ↑/↓ choose, Enter or Tab fills it in, Escape closes. Once a command name is complete,
 * its usage hint stays visible above the box. Runs commands through POST /api/commands/run.
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { cn } from "@/components/ui/cn";
import { api } from "@/lib/client/api";
import type { TCommandInfo, TRunResult } from "@/lib/commands/schema";

/** ["workspace", slug, …]: workspace invalidations (a new app installed) refresh it too. */
export const commandsQueryKey = (slug: string) => ["workspace", slug, "commands"] as const;

/** Built-ins and the workspace's registered commands. */
export function useCommands(slug: string) {
  return useQuery({
    queryKey: commandsQueryKey(slug),
    queryFn: async ({ signal }) => (await api<{ commands: TCommandInfo[] }>(`/api/workspaces/${encodeURIComponent(slug)}/commands`, { signal })).commands,
    staleTime: 60_000,
  });
}

/** Runs "/cmd args" in a conversation; replies arrive as ephemeral messages over the socket. */
export function runCommandRequest(input: { channelId: string; text: string; threadRootId?: string }): Promise<TRunResult> {
  return api<TRunResult>("/api/commands/run", { body: { ...input, tzOffsetMinutes: new Date().getTimezoneOffset() } });
}

/** "/to" → "to" while the name is still being typed (no space yet); null otherwise. */
export function getTypedCommandPrefix(text: string): string | null {
  const m = /^\/([^\s/]*)$/.exec(text);
  return m ? m[1]!.toLowerCase() : null;
}

/** "/topic hello" → the "topic" entry, once the name is complete. */
export function findTypedCommand(text: string, commands: readonly TCommandInfo[]): TCommandInfo | null {
  const m = /^\/(\S+)\s/.exec(text);
  if (!m) return null;
  const name = m[1]!.toLowerCase();
  return commands.find((c) => c.command === name) ?? null;
}

/** Commands whose name starts with the prefix first, then those that merely contain it. */
export function matchCommands(prefix: string, commands: readonly TCommandInfo[]): TCommandInfo[] {
  const starts = commands.filter((c) => c.command.startsWith(prefix));
  const contains = prefix ? commands.filter((c) => !c.command.startsWith(prefix) && c.command.includes(prefix)) : [];
  return [...starts, ...contains];
}

export type TCommandMenuState = {
  isOpen: boolean;
  matches: TCommandInfo[];
  activeIndex: number;
  /** The complete command being typed (for its usage hint). */
  current: TCommandInfo | null;
  /** Handles a key while the menu is open; returns the new text when a command was chosen, true when consumed. */
  onKey: (key: string) => string | boolean;
  choose: (index: number) => string;
};

/** Keyboard and matching state for the menu, from the composer's text. */
export function useCommandMenu(slug: string, text: string): TCommandMenuState {
  const { data: commands = [] } = useCommands(slug);
  const prefix = getTypedCommandPrefix(text);
  const matches = useMemo(() => (prefix === null ? [] : matchCommands(prefix, commands)), [prefix, commands]);
  const [activeIndex, setActiveIndex] = useState(0);
  const [dismissedFor, setDismissedFor] = useState<string | null>(null);
  useEffect(() => setActiveIndex(0), [prefix]);
  const isOpen = matches.length > 0 && dismissedFor !== text;
  const current = findTypedCommand(text, commands);
  const choose = (index: number) => `/${matches[index]!.command} `;
  const onKey = (key: string): string | boolean => {
    if (!isOpen) return false;
    if (key === "ArrowDown") return setActiveIndex((i) => (i + 1) % matches.length), true;
    if (key === "ArrowUp") return setActiveIndex((i) => (i - 1 + matches.length) % matches.length), true;
    if (key === "Escape") return setDismissedFor(text), true;
    const index = Math.min(activeIndex, matches.length - 1);
    // Enter on a name typed in full runs it (e.g. "/leave"); Tab always just fills it in.
    if (key === "Enter" && matches[index]!.command === prefix) return false;
    if (key === "Enter" || key === "Tab") return choose(index);
    return false;
  };
  return { isOpen, matches, activeIndex: Math.min(activeIndex, Math.max(0, matches.length - 1)), current, onKey, choose };
}

/** The list above the composer. */
export function CommandMenu({ state, listId, onChoose }: { state: TCommandMenuState; listId: string; onChoose: (text: string) => void }) {
  if (!state.isOpen) return null;
  return (
    <ul id={listId} role="listbox" aria-label="Commands" data-testid="command-menu" className="mb-1 max-h-64 overflow-y-auto rounded-lg border border-slate-200 bg-white py-1 shadow-lg">
      {state.matches.map((c, i) => (
        <li
          key={c.command}
          id={`${listId}-${i}`}
          role="option"
          aria-selected={i === state.activeIndex}
          data-testid="command-option"
          // mousedown, not click: keep the textarea focused.
          onMouseDown={(e) => {
            e.preventDefault();
            onChoose(state.choose(i));
          }}
          className={cn("flex cursor-pointer items-baseline gap-2 px-3 py-1.5 text-sm", i === state.activeIndex ? "bg-[#1164a3] text-white" : "text-slate-800 hover:bg-slate-100")}
        >
          <span className="font-semibold">/{c.command}</span>
          {c.usageHint && <span className={cn("truncate", i === state.activeIndex ? "text-white/80" : "text-slate-500")}>{c.usageHint}</span>}
          <span className={cn("ml-auto truncate text-xs", i === state.activeIndex ? "text-white/80" : "text-slate-400")}>{c.description || c.botName}</span>
        </li>
      ))}
    </ul>
  );
}

/** One line under the box while typing a known command: how to use it. */
export function CommandUsageHint({ command }: { command: TCommandInfo }) {
  return (
    <p data-testid="command-usage" className="mb-1 truncate px-1 text-xs text-slate-500">
      <span className="font-semibold text-slate-700">/{command.command}</span> {command.usageHint} {command.description ? `— ${command.description}` : ""}
    </p>
  );
}
