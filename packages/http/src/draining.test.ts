import { describe, expect, it } from 'vitest';
import { createHttpApp, startDraining } from './app.js';
import { createLogger } from './logging.js';

// Its own file: draining is process-wide (the process is stopping), and vitest isolates files.
describe('startDraining', () => {
  it('turns /readyz to 503 while every other route keeps answering', async () => {
    const { app } = await createHttpApp({
      name: 'drain-test',
      logger: createLogger({ name: 'test', level: 'silent' }),
      readiness: { db: async () => {} },
    });
    app.get('/hello', async () => ({ hello: 'world' }));
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    startDraining();
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks).toEqual({ db: 'ok', shutdown: 'failing: shutting down (draining)' });
    expect((await app.inject({ method: 'GET', url: '/hello' })).json()).toEqual({ hello: 'world' });
    await app.close();
  });
});
