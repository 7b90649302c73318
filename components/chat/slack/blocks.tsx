"use client";
/**
 * Slack Block Kit, as bots send it: section (text, two-column fields, image or button accessory),
 * header, divider, context, image, actions (link buttons open in a new tab; other buttons are shown
 * disabled until interactive actions exist) and rich_text. Each block is checked again with the
 * schemas from lib/slack/blocks.ts; anything unknown or malformed shows a neutral note instead.
 * Images load straight from the sender's URL with no referrer (there is no image proxy yet).
 */
import "@/components/chat/message-body.css";
import { FormattedText } from "@/components/chat/message-body";
import { RichText } from "@/components/chat/slack/rich-text";
import { TextWithEmoji } from "@/components/chat/slack/tokens";
import { cn } from "@/components/ui/cn";
import {
  type TButtonElement,
  type TImageElement,
  type TTextObject,
  ZActionsBlock,
  ZButtonElement,
  ZContextBlock,
  ZDividerBlock,
  ZHeaderBlock,
  ZImageBlock,
  ZImageElement,
  ZRichTextBlock,
  ZSectionBlock,
} from "@/lib/slack/blocks";

export const UNSUPPORTED_BUTTON_HINT = "Interactive buttons are not supported yet";

/** A Block Kit text object: mrkdwn through the message renderer, plain_text as literal text. */
export function SlackTextObject({ text, className }: { text: TTextObject; className?: string }) {
  if (text.type === "mrkdwn") {
    return (
      <div className={cn("message-body", className)}>
        <FormattedText text={text.text} markup="mrkdwn" />
      </div>
    );
  }
  return <div className={cn("whitespace-pre-wrap", className)}>{text.emoji === false ? text.text : <TextWithEmoji text={text.text} />}</div>;
}

export function SlackImage({ image, className }: { image: TImageElement | { image_url: string; alt_text: string }; className?: string }) {
  // Referrer-free and lazy: the sender's server learns as little as possible about readers.
  return <img src={image.image_url} alt={image.alt_text} title={image.alt_text} loading="lazy" referrerPolicy="no-referrer" className={cn("rounded border border-slate-200 object-cover", className)} />;
}

export function SlackButton({ button }: { button: TButtonElement }) {
  const style =
    button.style === "primary"
      ? "border-emerald-700 bg-emerald-700 text-white hover:bg-emerald-800"
      : button.style === "danger"
        ? "border-red-300 bg-white text-red-700 hover:bg-red-50"
        : "border-slate-300 bg-white text-slate-800 hover:bg-slate-50";
  const className = cn("inline-flex h-8 items-center rounded-md border px-3 text-sm font-semibold", style);
  const label = button.text.emoji === false ? button.text.text : <TextWithEmoji text={button.text.text} />;
  if (button.url) {
    return (
      <a href={button.url} target="_blank" rel="noopener noreferrer nofollow" aria-label={button.accessibility_label} className={className}>
        {label}
      </a>
    );
  }
  return (
    // aria-disabled rather than disabled: browsers show no tooltip on a disabled button.
    <button type="button" aria-disabled="true" title={UNSUPPORTED_BUTTON_HINT} aria-label={button.accessibility_label} className={cn(className, "cursor-not-allowed opacity-60")}>
      {label}
    </button>
  );
}

export function UnsupportedBlock({ type }: { type: string }) {
  return (
    <p data-testid="unsupported-block" className="text-xs text-slate-500 italic">
      This message contains content Parley cannot show yet{type ? ` (${type})` : ""}.
    </p>
  );
}

function Accessory({ accessory }: { accessory: unknown }) {
  const image = ZImageElement.safeParse(accessory);
  if (image.success) return <SlackImage image={image.data} className="size-[88px]" />;
  const button = ZButtonElement.safeParse(accessory);
  if (button.success) return <SlackButton button={button.data} />;
  return null;
}

function typeOf(block: unknown): string {
  return typeof block === "object" && block !== null && typeof (block as { type?: unknown }).type === "string" ? (block as { type: string }).type : "";
}

/** One block; null data or unknown types give the "unsupported" note. */
export function SlackBlock({ block }: { block: unknown }) {
  const type = typeOf(block);
  switch (type) {
    case "section": {
      const parsed = ZSectionBlock.safeParse(block);
      if (!parsed.success) break;
      const { text, fields, accessory } = parsed.data;
      return (
        <div data-block="section" className="flex gap-3">
          <div className="min-w-0 flex-1 space-y-2">
            {text && <SlackTextObject text={text} />}
            {fields && fields.length > 0 && (
              <div className="grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-2">
                {fields.map((field, index) => (
                  <SlackTextObject key={index} text={field} />
                ))}
              </div>
            )}
          </div>
          {accessory !== undefined && (
            <div className="shrink-0">
              <Accessory accessory={accessory} />
            </div>
          )}
        </div>
      );
    }
    case "header": {
      const parsed = ZHeaderBlock.safeParse(block);
      if (!parsed.success) break;
      return (
        <h3 data-block="header" className="text-lg leading-7 font-bold text-slate-900">
          {parsed.data.text.emoji === false ? parsed.data.text.text : <TextWithEmoji text={parsed.data.text.text} />}
        </h3>
      );
    }
    case "divider":
      if (!ZDividerBlock.safeParse(block).success) break;
      return <hr data-block="divider" className="border-slate-200" />;
    case "context": {
      const parsed = ZContextBlock.safeParse(block);
      if (!parsed.success) break;
      return (
        <div data-block="context" className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-500">
          {parsed.data.elements.map((element, index) =>
            element.type === "image" ? (
              <SlackImage key={index} image={element as TImageElement} className="size-5 border-0" />
            ) : (
              <SlackTextObject key={index} text={element as TTextObject} className="[&_p]:inline" />
            ),
          )}
        </div>
      );
    }
    case "image": {
      const parsed = ZImageBlock.safeParse(block);
      if (!parsed.success) break;
      return (
        <figure data-block="image" className="space-y-1">
          {parsed.data.title && <figcaption className="text-sm text-slate-600">{parsed.data.title.text}</figcaption>}
          <SlackImage image={parsed.data} className="max-h-80 max-w-full object-contain" />
        </figure>
      );
    }
    case "actions": {
      const parsed = ZActionsBlock.safeParse(block);
      if (!parsed.success) break;
      const buttons = parsed.data.elements.filter((element): element is TButtonElement => element.type === "button");
      const others = parsed.data.elements.length - buttons.length;
      return (
        <div data-block="actions" className="flex flex-wrap items-center gap-2">
          {buttons.map((button, index) => (
            <SlackButton key={index} button={button} />
          ))}
          {others > 0 && <span className="text-xs text-slate-500 italic">+{others} interactive element{others === 1 ? "" : "s"} not supported yet</span>}
        </div>
      );
    }
    case "rich_text": {
      const parsed = ZRichTextBlock.safeParse(block);
      if (!parsed.success) break;
      return (
        <div data-block="rich_text" className="message-body">
          <RichText elements={parsed.data.elements} />
        </div>
      );
    }
  }
  return <UnsupportedBlock type={type} />;
}

/** A message's blocks, stacked. */
export function SlackBlocks({ blocks }: { blocks: readonly unknown[] }) {
  return (
    <div data-testid="message-blocks" className="mt-1 flex max-w-2xl flex-col gap-2 text-[15px] text-slate-800">
      {blocks.map((block, index) => (
        <SlackBlock key={index} block={block} />
      ))}
    </div>
  );
}
