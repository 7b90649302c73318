"use client";

import { ALL_SCOPES, type TScope } from "@/lib/integrations/schema";

/** What each scope lets the bot do, in a few words. */
const scopeHints: Record<TScope, string> = {
  "chat:write": "Post messages where it is a member",
  "chat:write.customize": "Post with a custom name and icon",
  "chat:write.public": "Post in public channels it has not joined",
  "channels:read": "See public channels",
  "channels:history": "Read messages in public channels it is in",
  "channels:join": "Join public channels",
  "channels:manage": "Create, rename and archive public channels",
  "groups:read": "See private channels it is in",
  "groups:history": "Read messages in private channels it is in",
  "groups:write": "Manage private channels it is in",
  "im:read": "See its direct messages",
  "im:history": "Read its direct messages",
  "im:write": "Start direct messages",
  "mpim:read": "See its group DMs",
  "mpim:history": "Read its group DMs",
  "mpim:write": "Start group DMs",
  "users:read": "See people in the workspace",
  "users:read.email": "See people’s email addresses",
  "reactions:read": "See reactions",
  "reactions:write": "Add and remove reactions",
  "pins:read": "See pinned messages",
  "pins:write": "Pin and unpin messages",
  commands: "Answer slash commands",
  "app_mentions:read": "Receive @mentions",
  "incoming-webhook": "Post through incoming webhooks",
  "search:read": "Search messages (personal tokens only: Slack refuses it to bots)",
};

/** Scope checkboxes; put them in a <fieldset> with a legend (keyboard: Tab between them, Space toggles). */
export function ScopeCheckboxes({ value, onChange, error }: { value: readonly string[]; onChange: (next: TScope[]) => void; error?: string }) {
  const selected = new Set(value);
  const toggle = (scope: TScope, on: boolean) => onChange(ALL_SCOPES.filter((s) => (s === scope ? on : selected.has(s))));
  return (
    <div>
      <div className="grid gap-x-4 gap-y-1.5 sm:grid-cols-2">
        {ALL_SCOPES.map((scope) => (
          <label key={scope} className="flex items-start gap-2 rounded-md px-1 py-0.5 text-sm hover:bg-slate-50">
            <input type="checkbox" name="scopes" value={scope} checked={selected.has(scope)} onChange={(e) => toggle(scope, e.target.checked)} className="mt-0.5 size-4 shrink-0 accent-[#611f69]" />
            <span className="min-w-0">
              <code className="font-mono text-[13px] text-slate-900">{scope}</code>
              <span className="block text-xs text-slate-500">{scopeHints[scope]}</span>
            </span>
          </label>
        ))}
      </div>
      {error && (
        <p className="mt-1.5 flex items-start gap-1 text-sm text-red-700">
          <span aria-hidden="true">⚠</span>
          <span>{error}</span>
        </p>
      )}
    </div>
  );
}
