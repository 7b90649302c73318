-- A message's row is its own creation record: the change log of a conversation is now its messages
-- (each created at its `seq`) plus "ChannelEvent" rows for every later change (edits, deletes,
-- reactions, pins, reply counts). Writing a second row per new message cost the send path a heap
-- tuple, an index entry and a foreign-key check under the channel lock (~12 µs of PostgreSQL CPU per
-- message, docs/performance.md). Readers use the view below, never the two tables.
DELETE FROM "ChannelEvent" WHERE type = 'message.created';

CREATE VIEW "ChannelChange" AS
  SELECT "channelId", seq, 'message.created'::text AS type, id AS "messageId" FROM "Message"
  UNION ALL
  SELECT "channelId", seq, type, "messageId" FROM "ChannelEvent";

-- Most messages are not thread replies: only replies need an entry in the thread index.
DROP INDEX "Message_threadRootId_seq_idx";
CREATE INDEX "Message_threadRootId_seq_idx" ON "Message"("threadRootId", seq) WHERE "threadRootId" IS NOT NULL;
