import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, isPortLost, retryOnPortClash } from './index.js';

const clash = () => new Error('listen EADDRINUSE: address already in use 127.0.0.1:20001');

describe('freePort', () => {
  it('hands out distinct ports a server can bind', async () => {
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    expect(new Set(ports).size).toBe(3);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(ports[0], '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('retryOnPortClash', () => {
  it('starts again after a port clash and returns the first success', async () => {
    const retried: number[] = [];
    const result = await retryOnPortClash(
      async (attempt) => {
        if (attempt < 3) throw clash();
        return `started on attempt ${attempt}`;
      },
      { onRetry: (_error, attempt) => void retried.push(attempt) },
    );
    expect(result).toBe('started on attempt 3');
    expect(retried).toEqual([1, 2]);
  });

  it('waits for onRetry (cleaning up the failed attempt) before starting again', async () => {
    const events: string[] = [];
    await retryOnPortClash(
      async (attempt) => {
        events.push(`start ${attempt}`);
        if (attempt === 1) throw clash();
      },
      {
        onRetry: async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          events.push('cleaned up');
        },
      },
    );
    expect(events).toEqual(['start 1', 'cleaned up', 'start 2']);
  });

  it('throws the last clash after the attempts run out', async () => {
    let starts = 0;
    await expect(
      retryOnPortClash(async () => {
        starts++;
        throw clash();
      }),
    ).rejects.toThrow(/EADDRINUSE/);
    expect(starts).toBe(3);
  });

  it('never retries another failure, nor a port the caller fixed', async () => {
    let starts = 0;
    const failing = async () => {
      starts++;
      throw new Error('monerod exited with code 1');
    };
    await expect(retryOnPortClash(failing)).rejects.toThrow(/exited/);
    expect(starts).toBe(1);
    await expect(
      retryOnPortClash(
        async () => {
          starts++;
          throw clash();
        },
        { picked: false },
      ),
    ).rejects.toThrow(/EADDRINUSE/);
    expect(starts).toBe(2);
  });

  it('recognises the messages monerod, wallet-rpc and the readiness check give', () => {
    expect(isPortLost(new Error('Failed to bind IPv4 (set to required)'))).toBe(true);
    expect(isPortLost(new Error('port 20001 is answered by another process'))).toBe(true);
    expect(isPortLost(new Error('timed out'))).toBe(false);
  });
});
