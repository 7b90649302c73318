-- CreateIndex
CREATE INDEX "Message_ts_id_idx" ON "Message"("ts", "id");
