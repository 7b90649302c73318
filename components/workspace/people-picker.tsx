"use client";

import { useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Avatar } from "@/components/ui/avatar";
import { cn } from "@/components/ui/cn";
import { describeError } from "@/components/ui/form-errors";
import { Input } from "@/components/ui/input";
import { LoadingRow } from "@/components/ui/spinner";
import { useDebounced } from "@/components/ui/use-debounced";
import { SEARCH_DELAY_MS, useMemberSearch } from "@/components/workspace/queries";

export type TPersonOption = { userId: string; name: string; email: string; isBot?: boolean };

type TPeoplePickerProps = {
  slug: string;
  /** People not offered (me). */
  excludeIds?: ReadonlySet<string>;
  /** Leave out this conversation's members (adding people to it). */
  notInChannel?: string;
  selectedIds: string[];
  onChange: (selectedIds: string[]) => void;
  /** Most people that may be picked; the rest of the list is disabled once reached. */
  max?: number;
  searchLabel?: string;
  autoFocus?: boolean;
};

/**
 * Pick people of the workspace with a search box: the server finds them by name or email as one
 * types (a page of them; a workspace of thousands is never loaded whole). Plain checkboxes
 * underneath, so keyboard and screen readers work as usual; picked people show as removable chips
 * above the list, and stay picked while the search changes.
 */
export function PeoplePicker({ slug, excludeIds, notInChannel, selectedIds, onChange, max, searchLabel = "Search people", autoFocus }: TPeoplePickerProps) {
  const [search, setSearch] = useState("");
  const query = useDebounced(search.trim(), SEARCH_DELAY_MS);
  const found = useMemberSearch(slug, query, notInChannel);
  // The picked people as they were found, for their chips (a later search may not list them).
  const [picked, setPicked] = useState<ReadonlyMap<string, TPersonOption>>(new Map());
  const listId = useId();
  const selected = new Set(selectedIds);
  const isFull = max !== undefined && selectedIds.length >= max;
  const people = (found.data?.members ?? []).filter((p) => !excludeIds?.has(p.userId));

  const toggle = (person: TPersonOption) => {
    if (selected.has(person.userId)) return onChange(selectedIds.filter((id) => id !== person.userId));
    setPicked((map) => new Map(map).set(person.userId, person));
    onChange([...selectedIds, person.userId]);
  };

  return (
    <div className="space-y-3">
      {selectedIds.length > 0 && (
        <ul aria-label="Selected people" className="flex flex-wrap gap-1.5">
          {selectedIds.map((id) => {
            const person = picked.get(id);
            if (!person) return null;
            return (
              <li key={id} className="inline-flex max-w-full items-center gap-1.5 rounded-md bg-sky-50 py-1 pr-1 pl-1.5 text-sm text-sky-900 ring-1 ring-sky-200">
                <Avatar name={person.name} seed={person.userId} size="sm" className="size-5 text-[10px]" />
                <span className="truncate">{person.name}</span>
                <button type="button" onClick={() => toggle(person)} aria-label={`Remove ${person.name}`} className="rounded px-1 text-sky-700 hover:bg-sky-100">
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <Input type="search" aria-label={searchLabel} aria-controls={listId} placeholder="Search by name or email" value={search} onChange={(e) => setSearch(e.target.value)} autoFocus={autoFocus} />
      {isFull && <p className="text-sm text-amber-800">You can pick up to {max} people.</p>}
      {found.isPending ? (
        <LoadingRow label="Loading people…" />
      ) : found.error ? (
        <Alert title="Could not load people">{describeError(found.error)}</Alert>
      ) : (
        <ul id={listId} aria-label="People" aria-busy={found.isPlaceholderData} className="max-h-72 divide-y divide-slate-100 overflow-y-auto rounded-lg border border-slate-200">
          {people.map((person) => {
            const isChecked = selected.has(person.userId);
            const isDisabled = !isChecked && isFull;
            return (
              <li key={person.userId}>
                <label className={cn("flex cursor-pointer items-center gap-3 px-3 py-2 hover:bg-slate-50", isChecked && "bg-sky-50/60", isDisabled && "cursor-not-allowed opacity-50")}>
                  <input type="checkbox" checked={isChecked} disabled={isDisabled} onChange={() => toggle(person)} className="size-4 accent-[#1264a3]" />
                  <Avatar name={person.name} seed={person.userId} size="sm" />
                  <span className="min-w-0 flex-1">
                    <span className="block truncate text-[15px] font-medium text-slate-900">
                      {person.name}
                      {person.isBot && <span className="ml-1.5 text-xs font-normal text-slate-500">Bot</span>}
                    </span>
                    <span className="block truncate text-sm text-slate-500">{person.email}</span>
                  </span>
                </label>
              </li>
            );
          })}
          {people.length === 0 && !found.data?.hasMore && (
            <li className="px-3 py-6 text-center text-sm text-slate-500">{query ? `No one matches “${query}”.` : "No one else to add yet."}</li>
          )}
          {found.data?.hasMore && <li className="px-3 py-3 text-center text-sm text-slate-500">More people match: type more of a name or email to narrow the list.</li>}
        </ul>
      )}
    </div>
  );
}
