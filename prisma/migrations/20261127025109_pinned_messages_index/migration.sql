-- A channel's pins: listed when it is opened (and counted before a pin is added, and for the Slack API's
-- conversations.history). Without an index PostgreSQL read every message of the channel to find the few
-- pinned ones: 100–350 ms for a channel of 100,000 messages, on every first open of it
-- (docs/performance.md, Channel open, 2026-11-27 02:40). Partial: only pinned messages are in it.
CREATE INDEX "Message_pinned_idx" ON "Message" ("channelId", "pinnedAt" DESC, seq DESC) WHERE "pinnedAt" IS NOT NULL;
