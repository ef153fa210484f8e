import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * Does process `pid` itself listen on TCP `port`? (Linux /proc; true where /proc is missing.)
 *
 * Why: ports for monerod/wallet-rpc are picked free in one process and bound a moment later by
 * the child. Another process (a parallel test, another stack) can pick the same port in between;
 * the loser fails to bind, but its readiness probe may already have been answered by the winner,
 * and from then on it would silently talk to someone else's daemon or wallet.
 */
export function ownsListeningPort(pid: number, port: number): boolean {
  if (!existsSync('/proc/net/tcp')) return true;
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue; // 0A = LISTEN
      // cols has at least 10 entries (checked above)
      const localPort = Number.parseInt(cols[1]!.split(':')[1] ?? '', 16);
      if (localPort === port) inodes.add(cols[9]!);
    }
  }
  if (inodes.size === 0) return false;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  return fds.some((fd) => {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const m = /^socket:\[(\d+)\]$/.exec(target);
      return m?.[1] !== undefined && inodes.has(m[1]);
    } catch {
      return false;
    }
  });
}

/** The processes of a chain whose RPC port is answered by someone else, by label. */
export function foreignListeners(processes: Array<{ label: string; pid: number; url: string }>): string[] {
  return processes.filter((p) => !ownsListeningPort(p.pid, Number(new URL(p.url).port))).map((p) => `${p.label} (${p.url})`);
}
