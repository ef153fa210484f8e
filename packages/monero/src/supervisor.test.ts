import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcessSupervisor, restartDelayMs, type ProcessEvent, type SupervisedHandle } from './supervisor.js';

const started: SupervisedHandle[] = [];
const sleeper = async (): Promise<SupervisedHandle> => {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  await new Promise((r) => child.once('spawn', r));
  const handle = { process: child, pid: child.pid!, stop: async () => void child.kill('SIGKILL') };
  started.push(handle);
  return handle;
};
const nextEvent = (s: ProcessSupervisor, type: ProcessEvent['type']) =>
  new Promise<ProcessEvent>((resolve) => {
    const off = s.on((e) => {
      if (e.type === type) {
        off();
        resolve(e);
      }
    });
  });

afterEach(() => {
  for (const h of started.splice(0)) h.process.kill('SIGKILL');
});

describe('restartDelayMs', () => {
  it('doubles from the base and is capped', () => {
    expect([1, 2, 3, 4, 10].map((n) => restartDelayMs(n, 100, 1000))).toEqual([100, 200, 400, 800, 1000]);
  });
});

describe('ProcessSupervisor (real child processes)', () => {
  it('restarts a killed process, reports it, and counts the restart', async () => {
    const s = new ProcessSupervisor({ baseDelayMs: 10 });
    const first = await sleeper();
    s.watch('sleeper', first, sleeper);
    const exited = nextEvent(s, 'exited');
    const restarted = nextEvent(s, 'restarted');
    first.process.kill('SIGKILL');
    expect(await exited).toMatchObject({ process: 'sleeper', signal: 'SIGKILL', pid: first.pid });
    const e = await restarted;
    expect(e.pid).not.toBe(first.pid);
    expect(s.states().sleeper).toMatchObject({ up: true, pid: e.pid, restarts: 1, gaveUp: false });
    s.stop();
  });

  it('backs off while restarts fail and gives up after maxAttempts', async () => {
    const s = new ProcessSupervisor({ baseDelayMs: 5, maxAttempts: 3 });
    const events: ProcessEvent[] = [];
    s.on((e) => events.push(e));
    const first = await sleeper();
    s.watch('broken', first, () => Promise.reject(new Error('cannot start')));
    const gaveUp = nextEvent(s, 'gave_up');
    first.process.kill('SIGKILL');
    await gaveUp;
    expect(events.map((e) => `${e.type}:${e.attempt}`)).toEqual([
      'exited:0',
      'restart_failed:1',
      'restart_failed:2',
      'restart_failed:3',
      'gave_up:3',
    ]);
    expect(s.states().broken).toMatchObject({ up: false, gaveUp: true, restarts: 0 });
  });

  it('does not restart anything after stop()', async () => {
    const s = new ProcessSupervisor({ baseDelayMs: 5 });
    const events: ProcessEvent[] = [];
    s.on((e) => events.push(e));
    const first = await sleeper();
    s.watch('sleeper', first, sleeper);
    s.stop();
    first.process.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toEqual([]);
    expect(started).toHaveLength(1);
  });
});
