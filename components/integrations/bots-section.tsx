"use client";

import { useId, useState } from "react";
import { BotAvatar } from "@/components/integrations/bot-avatar";
import { BotCommandsPanel } from "@/components/integrations/bot-commands-panel";
import { BotEventsPanel, EventsDisabledBanner } from "@/components/integrations/bot-events-panel";
import { CreateBotDialog } from "@/components/integrations/create-bot-dialog";
import { EditBotDialog } from "@/components/integrations/edit-bot-dialog";
import { useBots, useIntegrationMutation, type TIssuedToken } from "@/components/integrations/queries";
import { SecretReveal } from "@/components/integrations/secret-reveal";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { describeError } from "@/components/ui/form-errors";
import { LoadingRow } from "@/components/ui/spinner";
import { api } from "@/lib/client/api";
import type { TBot } from "@/lib/integrations/schema";

function EventsSummary({ bot }: { bot: TBot }) {
  if (bot.eventsDisabledAt) return <Badge tone="red">Events disabled</Badge>;
  if (!bot.eventsUrl) return <Badge>Events off</Badge>;
  return (
    <Badge tone="green">
      Events on · {bot.eventSubscriptions.length} type{bot.eventSubscriptions.length === 1 ? "" : "s"}
    </Badge>
  );
}

function ScopesList({ scopes }: { scopes: string[] }) {
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? scopes : scopes.slice(0, 6);
  return (
    <div className="flex flex-wrap items-center gap-1.5">
      <span className="sr-only">Scopes:</span>
      {shown.map((s) => (
        <code key={s} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
          {s}
        </code>
      ))}
      {scopes.length === 0 && <span className="text-xs text-slate-500">No scopes</span>}
      {scopes.length > 6 && (
        <Button variant="link" size="sm" className="text-xs!" onClick={() => setShowAll((v) => !v)} aria-expanded={showAll}>
          {showAll ? "Show fewer" : `+${scopes.length - 6} more`}
        </Button>
      )}
    </div>
  );
}

type TPanel = "events" | "commands" | null;

function BotCard({ slug, bot }: { slug: string; bot: TBot }) {
  const [panel, setPanel] = useState<TPanel>(null);
  const [confirm, setConfirm] = useState<"rotate" | "deactivate" | null>(null);
  const [isEditing, setEditing] = useState(false);
  const [newToken, setNewToken] = useState<string | null>(null);
  const panelId = useId();
  const rotate = useIntegrationMutation(() => api<TIssuedToken>(`/api/bots/${encodeURIComponent(bot.id)}/rotate`, { method: "POST" }));
  const deactivate = useIntegrationMutation(() => api<{ bot: TBot }>(`/api/bots/${encodeURIComponent(bot.id)}`, { method: "DELETE" }));
  const isActive = !bot.deactivatedAt;
  const headingId = `${panelId}-name`;

  const closeConfirm = () => {
    setConfirm(null);
    rotate.reset();
    deactivate.reset();
  };
  const toggle = (p: Exclude<TPanel, null>) => setPanel((cur) => (cur === p ? null : p));

  return (
    <li className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" aria-labelledby={headingId}>
      <div className="flex flex-wrap items-start gap-3">
        <BotAvatar bot={bot} />
        <div className="min-w-0 flex-1 space-y-1.5">
          <div className="flex flex-wrap items-center gap-2">
            <h3 id={headingId} className="text-base font-bold break-words text-slate-900">
              {bot.name}
            </h3>
            <Badge tone="brand">Bot</Badge>
            {isActive ? <EventsSummary bot={bot} /> : <Badge tone="neutral">Deactivated</Badge>}
          </div>
          {bot.description && <p className="text-sm break-words whitespace-pre-wrap text-slate-600">{bot.description}</p>}
          <ScopesList scopes={bot.scopes} />
        </div>
        {isActive && (
          <div className="flex flex-wrap gap-1">
            <Button variant="ghost" size="sm" onClick={() => setEditing(true)} aria-label={`Edit ${bot.name}`}>
              Edit
            </Button>
            <Button variant="secondary" size="sm" onClick={() => setConfirm("rotate")} aria-label={`Rotate token of ${bot.name}`}>
              Rotate token
            </Button>
            <Button variant="danger-ghost" size="sm" onClick={() => setConfirm("deactivate")} aria-label={`Deactivate ${bot.name}`}>
              Deactivate
            </Button>
          </div>
        )}
      </div>
      {isActive && (
        <>
          <div className="mt-3">
            <EventsDisabledBanner bot={bot} />
          </div>
          <div className="mt-3 flex flex-wrap gap-2 border-t border-slate-100 pt-3" role="group" aria-label={`Settings of ${bot.name}`}>
            <Button variant={panel === "events" ? "primary" : "ghost"} size="sm" aria-expanded={panel === "events"} aria-controls={panelId} onClick={() => toggle("events")}>
              Events
            </Button>
            <Button variant={panel === "commands" ? "primary" : "ghost"} size="sm" aria-expanded={panel === "commands"} aria-controls={panelId} onClick={() => toggle("commands")}>
              Slash commands
            </Button>
          </div>
          <div id={panelId} className={panel ? "mt-3" : undefined}>
            {panel === "events" && <BotEventsPanel bot={bot} />}
            {panel === "commands" && <BotCommandsPanel slug={slug} bot={bot} />}
          </div>
        </>
      )}
      {confirm === "rotate" && (
        <ConfirmDialog
          open
          title={`Rotate the token of ${bot.name}?`}
          confirmLabel="Rotate token"
          isPending={rotate.isPending}
          error={rotate.error ? describeError(rotate.error) : undefined}
          onCancel={closeConfirm}
          onConfirm={() =>
            rotate.mutate(undefined, {
              onSuccess: (issued) => {
                closeConfirm();
                setNewToken(issued.token);
              },
            })
          }
        >
          <p>The current token stops working at once (calls with it get token_revoked). You will see the new one once.</p>
        </ConfirmDialog>
      )}
      {confirm === "deactivate" && (
        <ConfirmDialog
          open
          title={`Deactivate ${bot.name}?`}
          confirmLabel="Deactivate bot"
          isPending={deactivate.isPending}
          error={deactivate.error ? describeError(deactivate.error) : undefined}
          onCancel={closeConfirm}
          onConfirm={() => deactivate.mutate(undefined, { onSuccess: closeConfirm })}
        >
          <p>Its tokens are revoked and it receives no more events or slash commands. Its messages stay.</p>
        </ConfirmDialog>
      )}
      {isEditing && <EditBotDialog bot={bot} onClose={() => setEditing(false)} />}
      {newToken && (
        <Dialog open onClose={() => setNewToken(null)} title="New token" size="lg" footer={<Button onClick={() => setNewToken(null)}>I have copied it — done</Button>}>
          <SecretReveal title={`New token for ${bot.name}`} secrets={[{ label: "Bot token", value: newToken, hint: "The previous token no longer works." }]} />
        </Dialog>
      )}
    </li>
  );
}

/** The workspace's bots with their settings, and the "Create bot" dialog. */
export function BotsSection({ slug }: { slug: string }) {
  const { data: bots, error, isPending } = useBots(slug);
  const [creating, setCreating] = useState(false);
  const [showInactive, setShowInactive] = useState(false);
  const active = bots?.filter((b) => !b.deactivatedAt) ?? [];
  const inactive = bots?.filter((b) => b.deactivatedAt) ?? [];
  return (
    <div className="space-y-4">
      <div className="flex justify-end">
        <Button onClick={() => setCreating(true)}>Create bot</Button>
      </div>
      {isPending ? (
        <LoadingRow label="Loading bots…" />
      ) : error ? (
        <Alert title="Could not load bots">{describeError(error)}</Alert>
      ) : (
        <>
          {active.length === 0 ? (
            <p className="rounded-xl border border-dashed border-slate-300 bg-white px-5 py-6 text-center text-sm text-slate-500">No bots yet. Create one to use the Web API, events and slash commands.</p>
          ) : (
            <ul className="space-y-3" aria-label="Bots">
              {active.map((bot) => (
                <BotCard key={bot.id} slug={slug} bot={bot} />
              ))}
            </ul>
          )}
          {inactive.length > 0 && (
            <div>
              <Button variant="link" size="sm" aria-expanded={showInactive} onClick={() => setShowInactive((v) => !v)}>
                {showInactive ? "Hide" : "Show"} {inactive.length} deactivated bot{inactive.length === 1 ? "" : "s"}
              </Button>
              {showInactive && (
                <ul className="mt-3 space-y-3" aria-label="Deactivated bots">
                  {inactive.map((bot) => (
                    <BotCard key={bot.id} slug={slug} bot={bot} />
                  ))}
                </ul>
              )}
            </div>
          )}
        </>
      )}
      <CreateBotDialog slug={slug} open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
