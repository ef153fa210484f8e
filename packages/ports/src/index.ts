/**
 * Loopback ports for child processes and test servers: picking a free one, and starting again on
 * new ones when another process takes the pick before the child binds it. Used by the monero
 * launchers, the throw-away PostgreSQL cluster and the test stack.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const handedOut = new Set<number>();

/** The low end of the kernel's ephemeral range, where everyone's "bind to port 0" picks from. */
function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return Number.isInteger(low) && low !== undefined && low > 21_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

async function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/**
 * A currently free TCP port, never the same one twice in this process, picked at random BELOW
 * the ephemeral range: ports other code gets from "bind to port 0" come from that range (any
 * outgoing connection, too), so nothing else takes the port between the pick and the bind.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const high = ephemeralLow() - 1;
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * (high - 20_000));
    if (handedOut.has(port) || !(await isFree(port, host))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error('could not find a free port');
}

/** A start that lost its picked port to another process (bind failure, or someone else answering). */
const PORT_LOST = /EADDRINUSE|address already in use|failed to bind|answered by another process/i;

export function isPortLost(error: unknown): boolean {
  return PORT_LOST.test(String((error as Error | undefined)?.message ?? error));
}

export interface PortRetryOptions {
  /** Whether the ports were picked here (a port the caller fixed is not retried). Default true. */
  picked?: boolean;
  /** Starts in all (default 3). */
  attempts?: number;
  /** Runs before each retry (a log line; stopping what the failed attempt left running). */
  onRetry?: (error: unknown, attempt: number) => void | Promise<void>;
}

/**
 * Runs `start` (which picks its ports, starts, and cleans up after itself on failure) again when
 * it failed because a picked port was taken; any other failure, or the last attempt's, is thrown.
 */
export async function retryOnPortClash<T>(start: (attempt: number) => Promise<T>, options: PortRetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(attempt);
    } catch (error) {
      if (options.picked === false || attempt >= attempts || !isPortLost(error)) throw error;
      await options.onRetry?.(error, attempt);
    }
  }
}
