/**
 * The part of `@xmpp/client` (0.14, plain JavaScript without types) that scripts/bench/xmpp.ts uses.
 */
declare module "@xmpp/client" {
  /** An ltx element: a parsed or built XML stanza. */
  export interface Element {
    name: string;
    attrs: Record<string, string | undefined>;
    is(name: string, xmlns?: string): boolean;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    toString(): string;
  }

  export function xml(name: string, attrs?: Record<string, string | undefined> | null, ...children: (Element | string)[]): Element;

  export interface XmppClient {
    status: string;
    start(): Promise<unknown>;
    stop(): Promise<unknown>;
    send(element: Element): Promise<void>;
    on(event: "stanza", listener: (element: Element) => void): this;
    on(event: "error", listener: (err: Error) => void): this;
    on(event: "offline" | "online" | "disconnect", listener: () => void): this;
    reconnect: { stop(): void };
    /** Sends an iq and resolves with the reply stanza (rejects on an error reply or after `timeout` ms). */
    iqCaller: { request(stanza: Element, timeout?: number): Promise<Element> };
  }

  /** Called with the server's SASL mechanisms; picks one and authenticates. */
  export type TCredentials = (authenticate: (credentials: { username: string; password: string }, mechanism: string) => Promise<void>, mechanisms: string[]) => Promise<void>;

  export function client(options: { service: string; domain?: string; username?: string; password?: string; resource?: string; timeout?: number; credentials?: TCredentials }): XmppClient;
}
