import { connect, type Socket } from 'node:net';

/** A raw client: what a browser never sends, byte by byte, and everything the server answers. */
export interface RawClient {
  socket: Socket;
  /** Everything received so far. */
  text(): string;
  /** Resolves when the server has closed the connection, with the time since `connect`. */
  closed: Promise<number>;
}

export function rawClient(port: number, first = ''): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let received = '';
    const socket = connect(port, '127.0.0.1', () => {
      if (first) socket.write(first);
      resolve({ socket, text: () => received, closed });
    });
    const closed = new Promise<number>((done) => socket.once('close', () => done(Date.now() - started)));
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

/** Status and parsed JSON body of the first response in a raw exchange. */
export function firstResponse(text: string): { status: number; headers: string; body: any } {
  const [head = '', ...rest] = text.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  const body = rest.join('\r\n\r\n');
  let parsed: unknown = body;
  try {
    parsed = JSON.parse(body);
  } catch {
    /* keep the text */
  }
  return { status, headers: head.toLowerCase(), body: parsed };
}
