"use client";

import { useId, useState } from "react";
import { Avatar } from "@/components/ui/avatar";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/input";
import { matchesSearch } from "@/components/workspace/search-text";

export type TPersonOption = { userId: string; name: string; email: string; isBot?: boolean };

type TPeoplePickerProps = {
  people: TPersonOption[];
  selectedIds: string[];
  onChange: (selectedIds: string[]) => void;
  /** Most people that may be picked; the rest of the list is disabled once reached. */
  max?: number;
  searchLabel?: string;
  autoFocus?: boolean;
};

/**
 * Pick people from a list with a search box. Plain checkboxes underneath, so keyboard and screen
 * readers work as usual; picked people show as removable chips above the list.
 */
export function PeoplePicker({ people, selectedIds, onChange, max, searchLabel = "Search people", autoFocus }: TPeoplePickerProps) {
  const [search, setSearch] = useState("");
  const listId = useId();
  const selected = new Set(selectedIds);
  const isFull = max !== undefined && selectedIds.length >= max;
  const visible = people.filter((p) => matchesSearch(search, p.name, p.email));
  const byId = new Map(people.map((p) => [p.userId, p]));

  const toggle = (userId: string) => onChange(selected.has(userId) ? selectedIds.filter((id) => id !== userId) : [...selectedIds, userId]);

  return (
    <div className="space-y-3">
      {selectedIds.length > 0 && (
        <ul aria-label="Selected people" className="flex flex-wrap gap-1.5">
          {selectedIds.map((id) => {
            const person = byId.get(id);
            if (!person) return null;
            return (
              <li key={id} className="inline-flex max-w-full items-center gap-1.5 rounded-md bg-sky-50 py-1 pr-1 pl-1.5 text-sm text-sky-900 ring-1 ring-sky-200">
                <Avatar name={person.name} seed={person.userId} size="sm" className="size-5 text-[10px]" />
                <span className="truncate">{person.name}</span>
                <button type="button" onClick={() => toggle(id)} aria-label={`Remove ${person.name}`} className="rounded px-1 text-sky-700 hover:bg-sky-100">
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <Input type="search" aria-label={searchLabel} aria-controls={listId} placeholder="Search by name or email" value={search} onChange={(e) => setSearch(e.target.value)} autoFocus={autoFocus} />
      {isFull && <p className="text-sm text-amber-800">You can pick up to {max} people.</p>}
      <ul id={listId} aria-label="People" className="max-h-72 divide-y divide-slate-100 overflow-y-auto rounded-lg border border-slate-200">
        {visible.map((person) => {
          const isChecked = selected.has(person.userId);
          const isDisabled = !isChecked && isFull;
          return (
            <li key={person.userId}>
              <label className={cn("flex cursor-pointer items-center gap-3 px-3 py-2 hover:bg-slate-50", isChecked && "bg-sky-50/60", isDisabled && "cursor-not-allowed opacity-50")}>
                <input type="checkbox" checked={isChecked} disabled={isDisabled} onChange={() => toggle(person.userId)} className="size-4 accent-[#1264a3]" />
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
        {visible.length === 0 && <li className="px-3 py-6 text-center text-sm text-slate-500">{people.length === 0 ? "No one else to add yet." : `No one matches “${search}”.`}</li>}
      </ul>
    </div>
  );
}
