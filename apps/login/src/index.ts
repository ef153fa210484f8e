import { createServiceApp, type PuperoService, type ServiceDeps } from '@pupero/http';
import { migrate } from '@pupero/db';
import { migrations } from './migrations.js';
import { loadLoginConfig, type LoginConfig } from './config.js';
import type { LoginContext } from './context.js';
import { createSecretBox } from './shared/secret-box.js';
import { makeDummyHash } from './accounts/password-hashing.js';
import { registerAccountRoutes } from './accounts/routes.js';
import { registerAdminRoutes } from './admin/routes.js';
import { registerAuditRoutes } from './audit/routes.js';
import { registerInternalRoutes } from './internal/routes.js';
import { registerSessionRoutes } from './sessions/routes.js';
import { sessionGuards } from './sessions/session-guard.js';
import { Throttle, type ThrottlePolicies } from './throttle/throttle.js';
import { KeyRing } from './tokens/keyring.js';
import { localVerifier } from './tokens/access-tokens.js';
import { registerTokenRoutes } from './tokens/routes.js';
import { registerTwoFactorRoutes } from './two-factor/routes.js';
import { MAINTENANCE_INTERVAL_MS, runMaintenance } from './maintenance.js';
import { errorSchema } from './shared/errors.js';

export const SCHEMA = 'login';
export { migrations } from './migrations.js';
export { LOGIN_ERROR_CODES, type LoginErrorCode } from './shared/errors.js';
export { grantRole, revokeRole, UnknownUserError, type GrantableRole } from './accounts/roles.js';

/** The first delay of a slowed-down account; it doubles per further failure. */
const ACCOUNT_BASE_DELAY_MS = 100;

function throttlePolicies(c: LoginConfig): ThrottlePolicies {
  const lock = {
    windowSeconds: c.LOGIN_THROTTLE_WINDOW_SECONDS,
    lockSeconds: c.LOGIN_THROTTLE_LOCK_SECONDS,
    maxLockSeconds: c.LOGIN_THROTTLE_MAX_LOCK_SECONDS,
  };
  const registrationWindow = c.LOGIN_REGISTER_IP_WINDOW_SECONDS;
  return {
    locks: {
      'login:account-ip': { ...lock, maxFailures: c.LOGIN_THROTTLE_ACCOUNT_MAX_FAILURES },
      'login:ip': { ...lock, maxFailures: c.LOGIN_THROTTLE_IP_MAX_FAILURES },
      '2fa:account': { ...lock, maxFailures: c.LOGIN_THROTTLE_2FA_ACCOUNT_MAX_FAILURES },
      '2fa:ip': { ...lock, maxFailures: c.LOGIN_THROTTLE_2FA_IP_MAX_FAILURES },
      // The registration that reaches the limit closes the address for one window (no doubling).
      'register:ip': {
        maxFailures: c.LOGIN_REGISTER_IP_MAX,
        windowSeconds: registrationWindow,
        lockSeconds: registrationWindow,
        maxLockSeconds: registrationWindow,
      },
    },
    delays: {
      'login:account': {
        freeFailures: c.LOGIN_THROTTLE_ACCOUNT_DELAY_AFTER_FAILURES,
        windowSeconds: c.LOGIN_THROTTLE_WINDOW_SECONDS,
        baseDelayMs: ACCOUNT_BASE_DELAY_MS,
        maxDelayMs: c.LOGIN_THROTTLE_ACCOUNT_MAX_DELAY_MS,
      },
    },
  };
}

/** The Login API: accounts, sessions and refresh tokens, TOTP 2FA, roles, token signing keys. */
export async function createLoginService(deps: ServiceDeps): Promise<PuperoService> {
  const config = loadLoginConfig(deps.env);
  const logger = deps.logger.child({ service: 'login' });
  await migrate(deps.db, SCHEMA, migrations);
  const box = createSecretBox(config.LOGIN_SECRETS_KEY);
  if (!box.encrypting && deps.common.env === 'production') {
    logger.warn('LOGIN_SECRETS_KEY is not set: TOTP secrets and token-signing keys are stored unencrypted in the database');
  }
  const keys = new KeyRing(deps.db, box, {
    tokenLifetimeSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    rotationDays: config.SIGNING_KEY_ROTATION_DAYS,
  });
  await keys.init();
  const { app, extras } = await createServiceApp(deps, {
    name: 'login',
    logger,
    errorSchema: errorSchema,
    openapi: { title: 'Pupero Login API', description: 'Accounts, sessions, two-factor authentication and roles.' },
  });
  const verifier = localVerifier(keys);
  const ctx: LoginContext = {
    db: deps.db,
    config,
    common: deps.common,
    logger,
    box,
    keys,
    verifier,
    throttle: new Throttle(deps.db, throttlePolicies(config)),
    dummyHash: await makeDummyHash(),
    guards: sessionGuards({ db: deps.db, verifier }),
    metrics: extras.metrics,
  };

  registerAccountRoutes(app, ctx);
  registerSessionRoutes(app, ctx);
  registerTwoFactorRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  registerTokenRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  registerInternalRoutes(app, ctx);

  let timer: NodeJS.Timeout | undefined;
  return {
    name: 'login',
    app,
    async start() {
      timer = setInterval(() => {
        runMaintenance(ctx).catch((error) => logger.error({ err: error }, 'login maintenance failed'));
      }, MAINTENANCE_INTERVAL_MS);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
    },
  };
}
