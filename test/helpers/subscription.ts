import WebSocket from 'ws';

/** A message of the graphql-transport-ws protocol, as the server sent it. */
export interface WsMessage {
  type: string;
  id?: string;
  payload?: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  } & Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/**
 * A raw graphql-transport-ws connection, so that a test sees every frame: acknowledgment,
 * `next`, `error`, `complete`, pings and the close code and reason.
 */
export class WsConnection {
  readonly messages: WsMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  pings = 0;
  private listeners: Array<() => void> = [];

  constructor(
    readonly socket: WebSocket,
    readonly url: string,
  ) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as WsMessage);
      this.wake();
    });
    socket.on('ping', () => {
      this.pings += 1;
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => {
        resolve({ code, reason: String(reason) });
        this.wake();
      }),
    );
  }

  private wake(): void {
    for (const listener of this.listeners.splice(0)) listener();
  }

  /** Opens the socket on the gateway's `/graphql` and sends `connection_init` with `payload`. */
  static async open(
    graphqlUrl: string,
    payload: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<WsConnection> {
    const url = graphqlUrl.replace(/^http/, 'ws');
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
    const connection = new WsConnection(socket, url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.send(JSON.stringify({ type: 'connection_init', payload }));
    return connection;
  }

  /** Waits until `check` holds over the messages received, at most `ms`. */
  async until(check: (messages: WsMessage[]) => boolean, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check(this.messages)) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out; received: ${JSON.stringify(this.messages).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.listeners.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the acknowledgment of `connection_init`. */
  async acknowledged(): Promise<void> {
    await this.until((m) => m.some((x) => x.type === 'connection_ack'));
  }

  /** Sends a `subscribe` message. */
  subscribe(id: string, query: string, variables: Record<string, unknown> = {}): void {
    this.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
  }

  /** The `next` payloads received for `id`. */
  nexts(id: string): NonNullable<WsMessage['payload']>[] {
    return this.messages.filter((m) => m.id === id && m.type === 'next').map((m) => m.payload!);
  }

  /** The first `error` or errored `next` of `id`, once it came. */
  async errorOf(
    id: string,
  ): Promise<Array<{ message: string; extensions?: Record<string, unknown> }>> {
    await this.until((m) =>
      m.some(
        (x) => x.id === id && (x.type === 'error' || (x.type === 'next' && x.payload?.errors)),
      ),
    );
    const message = this.messages.find(
      (x) => x.id === id && (x.type === 'error' || (x.type === 'next' && x.payload?.errors)),
    )!;
    return message.type === 'error' ? [...message.payload!] : message.payload!.errors!;
  }

  close(): void {
    this.socket.close();
  }
}
