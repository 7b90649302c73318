// GET /api/channels/:id/members - members (the first 5,000, as they joined); ?q=<text>&limit=<n> - those whose
// name or email contains the text, by name, with hasMore; POST { userIds } - add people
import { authed, readJson } from "@/lib/http/handler";
import { addChannelMembers, listChannelMembers, searchChannelMembers } from "@/lib/channels/service";
import { ZId } from "@/lib/validation";

export const GET = authed<{ id: string }>(async ({ actor, params, url }) => {
  const channelId = ZId.parse(params.id);
  const p = url.searchParams;
  if (p.has("q")) return searchChannelMembers({ actor, channelId, input: { q: p.get("q"), limit: p.get("limit") ?? undefined } });
  return { members: await listChannelMembers({ actor, channelId }) };
});
export const POST = authed<{ id: string }>(async ({ actor, params, req }) => ({ members: await addChannelMembers({ actor, channelId: ZId.parse(params.id), input: await readJson(req) }) }));
