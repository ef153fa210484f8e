import { connect, type Socket } from 'node:net';

type Reply = string | number | null | Reply[];

/**
 * A minimal Redis client (RESP2 over one TCP connection, commands pipelined in order): enough for
 * the rate limiter's EVAL, without another dependency. Reconnects on the next command after the
 * connection drops; commands in flight then fail (the limiter lets requests through: skipOnError).
 */
export class RespClient {
  private socket?: Socket;
  private buffer = Buffer.alloc(0);
  private readonly pending: Array<{ resolve: (r: Reply) => void; reject: (e: Error) => void }> = [];
  private readonly url: URL;

  constructor(
    url: string,
    private readonly timeoutMs = 2000,
  ) {
    this.url = new URL(url);
    if (this.url.protocol !== 'redis:') throw new Error(`REDIS_URL must be a redis:// URL (got ${this.url.protocol})`);
  }

  command(args: Array<string | number>): Promise<Reply> {
    const socket = this.connection();
    return this.send(socket, args);
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private send(socket: Socket, args: Array<string | number>): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      const parts = args.map((a) => String(a));
      socket.write(`*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`);
    });
  }

  private connection(): Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = connect({ host: this.url.hostname || '127.0.0.1', port: Number(this.url.port || 6379) });
    socket.setNoDelay(true);
    socket.setTimeout(this.timeoutMs, () => socket.destroy(new Error('Redis did not answer in time')));
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const parsed = parse(this.buffer, 0);
        if (!parsed) break;
        this.buffer = this.buffer.subarray(parsed.end);
        const waiter = this.pending.shift();
        if (parsed.value instanceof Error) waiter?.reject(parsed.value);
        else waiter?.resolve(parsed.value);
      }
      if (this.pending.length === 0) socket.setTimeout(0);
    });
    const fail = (error?: Error) => {
      if (this.socket === socket) this.socket = undefined;
      this.buffer = Buffer.alloc(0);
      for (const waiter of this.pending.splice(0)) waiter.reject(error ?? new Error('Redis connection closed'));
    };
    socket.on('error', fail);
    socket.on('close', () => fail());
    this.socket = socket;
    // AUTH / SELECT first: they are answered in order before any command sent after them.
    const password = decodeURIComponent(this.url.password);
    const username = decodeURIComponent(this.url.username);
    if (password) void this.send(socket, username ? ['AUTH', username, password] : ['AUTH', password]).catch(() => undefined);
    const db = this.url.pathname.replace('/', '');
    if (db) void this.send(socket, ['SELECT', db]).catch(() => undefined);
    return socket;
  }
}

/** One RESP value from `buf` at `at`, or undefined when it has not fully arrived yet. */
function parse(buf: Buffer, at: number): { value: Reply | Error; end: number } | undefined {
  const lineEnd = buf.indexOf('\r\n', at);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buf[at]!); // lineEnd >= at, so the byte at `at` exists
  const line = buf.toString('utf8', at + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: new Error(`Redis: ${line}`), end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (buf.length < next + length + 2) return undefined;
      return { value: buf.toString('utf8', next, next + length), end: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: Reply[] = [];
      let end = next;
      for (let i = 0; i < count; i++) {
        const item = parse(buf, end);
        if (!item) return undefined;
        if (item.value instanceof Error) return { value: item.value, end: item.end };
        items.push(item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default:
      return { value: new Error(`Redis: unexpected reply type "${type}"`), end: buf.length };
  }
}

/**
 * The part of the ioredis API that @fastify/rate-limit's Redis store uses (defineCommand, then the
 * defined command with a node callback), on RespClient: its own Lua script keeps one counter per
 * address in Redis, shared by every gateway replica.
 */
export function rateLimitRedis(client: RespClient): Record<string, unknown> {
  const target: Record<string, unknown> = {
    defineCommand(name: string, definition: { numberOfKeys: number; lua: string }) {
      target[name] = (...args: unknown[]) => {
        const callback = args.pop() as (error: Error | null, result?: Reply) => void;
        client.command(['EVAL', definition.lua, definition.numberOfKeys, ...args.map((a) => String(a))]).then(
          (result) => callback(null, result),
          (error: Error) => callback(error),
        );
      };
    },
  };
  return target;
}
