import type { AddressInfo } from 'node:net';
import { commonConfigSchema, loadConfig, resolveCommonConfig } from '@pupero/config';
import { createLogger, type PuperoService } from '@pupero/http';
import { createGatewayService } from '../index.js';

/**
 * A gateway on its own, in front of the stand-in upstreams `env` names (OFFERS_URL, ...), on a
 * free loopback port. For tests of routing behaviour that need no real service behind it.
 */
export async function startLoneGateway(env: Record<string, string>): Promise<{ gateway: PuperoService; base: string }> {
  const withToken = { SERVICE_TOKEN: 'x'.repeat(32), ...env };
  const common = resolveCommonConfig(loadConfig(commonConfigSchema, withToken), withToken.SERVICE_TOKEN);
  const gateway = await createGatewayService({ common, logger: createLogger({ name: 'test', level: 'silent' }), env: withToken });
  await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  return { gateway, base: `http://127.0.0.1:${(gateway.app.server.address() as AddressInfo).port}` };
}
