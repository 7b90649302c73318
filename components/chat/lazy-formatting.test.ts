/**
 * The formatting code loaded apart from the page's first scripts (lazy-formatting.ts). A file of
 * its own: vitest gives each file fresh modules, so nothing here is loaded until a test loads it.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { lazyModule, slackRichContent } from "@/components/chat/lazy-formatting";
import { whenParserLoaded } from "@/components/chat/message-body";
import { MessageContent } from "@/components/chat/slack/message-content";

describe("Block Kit code, loaded when a message has blocks", () => {
  it("shows the message's text (the sender's fallback) until the code is here, then the blocks", async () => {
    await whenParserLoaded();
    const message = { markup: "mrkdwn" as const, blocks: [{ type: "header", text: { type: "plain_text", text: "部署完成" } }], attachments: null };
    const html = () => renderToStaticMarkup(createElement(MessageContent, { message, body: "deploy *done*" }));
    expect(slackRichContent.current()).toBeNull();
    expect(html()).toContain("deploy <strong>done</strong>");
    expect(html()).not.toContain("部署完成");
    await slackRichContent.load();
    expect(html()).toContain("部署完成");
    expect(html()).not.toContain("deploy");
  });
});

describe("lazyModule", () => {
  it("loads once however often it is asked, and tells subscribers when it is here", async () => {
    const importer = vi.fn(async () => ({ answer: 42 }));
    const module = lazyModule(importer);
    const told = vi.fn();
    module.subscribe(told);
    await Promise.all([module.load(), module.load()]);
    await module.load();
    expect(importer).toHaveBeenCalledTimes(1);
    expect(told).toHaveBeenCalledTimes(1);
    expect(module.current()).toEqual({ answer: 42 });
  });

  it("resolves when loading fails, stays empty, and tries again on the next need", async () => {
    const importer = vi.fn().mockRejectedValueOnce(new Error("offline")).mockResolvedValueOnce({ ok: true });
    const module = lazyModule<{ ok: boolean }>(importer);
    await module.load(); // does not throw: the caller draws plain text meanwhile
    expect(module.current()).toBeNull();
    await module.load();
    expect(importer).toHaveBeenCalledTimes(2);
    expect(module.current()).toEqual({ ok: true });
  });
});
