-- A message's channel and sender are checked by every statement that writes one, not by foreign keys.
-- The group-commit batch (lib/messages/repository.ts writeMessageBatch) stores a message only for a
-- channel it has just locked and a sender with an active membership of that channel's workspace; the
-- one-by-one path takes the channel's next seq (an UPDATE of its row) and checks the sender's access
-- first. The two foreign keys repeated those checks for every row — each a lookup that also locks the
-- parent row (a WAL record for the sender's) — and cost ~10 % of the database's CPU per send
-- (docs/performance.md, Persistence, 2026-11-26 21:00). Channels and people are never deleted (they are
-- archived and deactivated), so the cascades never ran; whatever deletes them later (data erasure)
-- must delete or reassign their messages itself. The message's other foreign keys stay.
ALTER TABLE "Message" DROP CONSTRAINT IF EXISTS "Message_channelId_fkey";
ALTER TABLE "Message" DROP CONSTRAINT IF EXISTS "Message_senderId_fkey";
