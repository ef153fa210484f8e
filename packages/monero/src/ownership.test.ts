import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ownsListeningPort } from './ownership.js';

describe('ownsListeningPort', () => {
  it('tells whether this very process listens on a port', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    expect(ownsListeningPort(process.pid, port)).toBe(true);
    expect(ownsListeningPort(process.ppid, port)).toBe(false);
    await new Promise((r) => server.close(r));
    expect(ownsListeningPort(process.pid, port)).toBe(false);
  });
});
