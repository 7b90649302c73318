"use client";
/**
 * Slack's legacy attachments: a coloured bar with pretext above it, then author, title (linked),
 * text, fields (two columns when `short`), image or thumbnail, nested blocks and a footer with its
 * time. Text is mrkdwn unless `mrkdwn_in` says otherwise (tokens and emoji always show).
 */
import "@/components/chat/message-body.css";
import { formatFullDateTime } from "@/components/chat/format-time";
import { FormattedText } from "@/components/chat/message-body";
import { SlackBlocks, SlackImage, UnsupportedBlock } from "@/components/chat/slack/blocks";
import { cn } from "@/components/ui/cn";
import type { TMarkup } from "@/lib/messages/schema";
import { isHttpUrl, type TAttachment, ZAttachment } from "@/lib/slack/blocks";

const footerTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const NAMED_COLORS: Record<string, string> = { good: "#2eb67d", warning: "#ecb22e", danger: "#e01e5a" };

/** The bar colour: Slack's names or a checked hex value (never arbitrary CSS). */
export function attachmentColor(color: string | undefined): string {
  if (!color) return "#dddddd";
  if (NAMED_COLORS[color]) return NAMED_COLORS[color];
  if (/^#?(?:[0-9a-fA-F]{3}){1,2}$/.test(color)) return color.startsWith("#") ? color : `#${color}`;
  return "#dddddd";
}

function httpUrl(url: string | undefined): string | null {
  return url && isHttpUrl(url) ? url : null;
}

function Text({ text, field, attachment }: { text: string; field: string; attachment: TAttachment }) {
  // Without mrkdwn_in, Slack formats attachment text; with it, only the fields it names.
  const markup: TMarkup = !attachment.mrkdwn_in || attachment.mrkdwn_in.includes(field) ? "mrkdwn" : "plain";
  return (
    <div className="message-body">
      <FormattedText text={text} markup={markup} />
    </div>
  );
}

function ExternalLink({ href, className, children }: { href: string | null; className?: string; children: React.ReactNode }) {
  if (!href) return <span className={className}>{children}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" className={cn(className, "hover:underline")}>
      {children}
    </a>
  );
}

export function SlackAttachment({ attachment }: { attachment: TAttachment }) {
  const { pretext, author_name, title, text, fields, footer, ts } = attachment;
  const thumb = httpUrl(attachment.thumb_url);
  const image = httpUrl(attachment.image_url);
  const time = ts !== undefined && Number.isFinite(Number(ts)) ? new Date(Number(ts) * 1000).toISOString() : null;
  return (
    <div data-testid="message-attachment" className="space-y-1">
      {pretext && <Text text={pretext} field="pretext" attachment={attachment} />}
      <div className="flex max-w-2xl overflow-hidden">
        <div data-testid="attachment-bar" aria-hidden="true" className="w-1 shrink-0 rounded-full" style={{ backgroundColor: attachmentColor(attachment.color) }} />
        <div className="flex min-w-0 flex-1 gap-3 py-0.5 pl-3">
          <div className="min-w-0 flex-1 space-y-1">
            {author_name && (
              <div className="flex items-center gap-1.5 text-sm font-semibold text-slate-700">
                {httpUrl(attachment.author_icon) && <SlackImage image={{ image_url: attachment.author_icon!, alt_text: "" }} className="size-4 rounded-sm border-0" />}
                <ExternalLink href={httpUrl(attachment.author_link)}>{author_name}</ExternalLink>
              </div>
            )}
            {title && (
              <div className="font-bold">
                <ExternalLink href={httpUrl(attachment.title_link)} className={httpUrl(attachment.title_link) ? "text-[#1264a3]" : "text-slate-900"}>
                  {title}
                </ExternalLink>
              </div>
            )}
            {text && <Text text={text} field="text" attachment={attachment} />}
            {fields && fields.length > 0 && (
              <dl className="grid grid-cols-2 gap-x-6 gap-y-2 pt-1">
                {fields.map((f, index) => (
                  <div key={index} className={cn("min-w-0", !f.short && "col-span-2")}>
                    {f.title && <dt className="text-sm font-bold text-slate-900">{f.title}</dt>}
                    {f.value && (
                      <dd>
                        <Text text={f.value} field="fields" attachment={attachment} />
                      </dd>
                    )}
                  </div>
                ))}
              </dl>
            )}
            {image && <SlackImage image={{ image_url: image, alt_text: attachment.fallback || title || "" }} className="mt-1 max-h-80 max-w-full object-contain" />}
            {attachment.blocks && attachment.blocks.length > 0 && <SlackBlocks blocks={attachment.blocks} />}
            {(footer || time) && (
              <div className="flex items-center gap-1.5 pt-0.5 text-xs text-slate-500">
                {httpUrl(attachment.footer_icon) && <SlackImage image={{ image_url: attachment.footer_icon!, alt_text: "" }} className="size-4 rounded-sm border-0" />}
                {footer && <span>{footer}</span>}
                {footer && time && <span aria-hidden="true">·</span>}
                {time && (
                  <time dateTime={time} title={formatFullDateTime(time)}>
                    {footerTime.format(new Date(time))}
                  </time>
                )}
              </div>
            )}
          </div>
          {thumb && !image && <SlackImage image={{ image_url: thumb, alt_text: title || "" }} className="size-[75px] shrink-0" />}
        </div>
      </div>
    </div>
  );
}

/** A message's attachments; ones that fail the schema show the neutral note. */
export function SlackAttachments({ attachments }: { attachments: readonly unknown[] }) {
  return (
    <div data-testid="message-attachments" className="mt-1 flex flex-col gap-2 text-[15px] text-slate-800">
      {attachments.map((attachment, index) => {
        const parsed = ZAttachment.safeParse(attachment);
        return parsed.success ? <SlackAttachment key={index} attachment={parsed.data} /> : <UnsupportedBlock key={index} type="attachment" />;
      })}
    </div>
  );
}
