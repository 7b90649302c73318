"use client";
/**
 * A small emoji picker: a search box over Slack's short names (lib/emoji.ts, emojibase's iamcal set)
 * and, before you type, the emoji you use most followed by common ones. Picking returns the name.
 */
import { useMemo, useState } from "react";
import { cn } from "@/components/ui/cn";
import { emojiFromName, searchEmoji } from "@/lib/emoji";

const COMMON = ["+1", "heart", "joy", "tada", "white_check_mark", "eyes", "pray", "fire", "raised_hands", "100", "smile", "thinking_face", "clap", "rocket", "ok_hand", "wave", "-1", "cry", "muscle", "sparkles", "star", "bulb", "heavy_plus_sign", "x"];
const RECENT_KEY = "parley.emoji.frequent";
const MAX_SHOWN = 48;

type TUsage = Record<string, number>;

function readUsage(): TUsage {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(RECENT_KEY) ?? "{}");
    return parsed && typeof parsed === "object" ? (parsed as TUsage) : {};
  } catch {
    return {};
  }
}

/** Counts a use of `name`, for "frequently used". */
export function recordEmojiUse(name: string): void {
  try {
    const usage = readUsage();
    usage[name] = (usage[name] ?? 0) + 1;
    // Keep the 30 most used.
    const kept = Object.fromEntries(Object.entries(usage).sort((a, b) => b[1] - a[1]).slice(0, 30));
    localStorage.setItem(RECENT_KEY, JSON.stringify(kept));
  } catch {
    // Storage disabled: no history, still works.
  }
}

/** The emoji as text (the unicode, or :name: for names without one). */
export function renderEmoji(name: string): string {
  return emojiFromName(name) ?? `:${name}:`;
}

export function EmojiPicker({ onPick }: { onPick: (name: string) => void }) {
  const [query, setQuery] = useState("");
  const [frequent] = useState(() =>
    Object.entries(readUsage())
      .sort((a, b) => b[1] - a[1])
      .map(([name]) => name)
      .filter((name) => emojiFromName(name)),
  );
  const results = useMemo(() => {
    if (query.trim()) return searchEmoji(query, MAX_SHOWN).map((e) => e.name);
    return [...new Set([...frequent.slice(0, 16), ...COMMON])].slice(0, MAX_SHOWN);
  }, [query, frequent]);

  return (
    <div className="p-2" data-testid="emoji-picker">
      <input
        type="search"
        value={query}
        autoFocus
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && results[0]) {
            e.preventDefault();
            onPick(results[0]);
          }
        }}
        placeholder="Search emoji"
        aria-label="Search emoji"
        className="mb-2 w-full rounded-md border border-slate-300 px-2 py-1 text-sm focus:border-slate-500 focus:outline-none"
      />
      <p className="mb-1 px-1 text-[11px] font-semibold text-slate-500 uppercase">{query.trim() ? "Results" : frequent.length ? "Frequently used" : "Common"}</p>
      {results.length === 0 ? (
        <p className="px-1 py-4 text-center text-sm text-slate-500">No emoji match “{query}”.</p>
      ) : (
        <div className="grid max-h-56 grid-cols-8 gap-0.5 overflow-y-auto" role="listbox" aria-label="Emoji">
          {results.map((name, i) => (
            <button
              key={name}
              type="button"
              role="option"
              aria-selected={i === 0 && !!query.trim()}
              data-testid="emoji-option"
              data-emoji={name}
              title={`:${name}:`}
              aria-label={`:${name}:`}
              onClick={() => onPick(name)}
              className={cn("flex size-8 items-center justify-center rounded text-xl hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-slate-400")}
            >
              {renderEmoji(name)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
