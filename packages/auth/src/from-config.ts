import type { CommonConfig } from '@pupero/config';
import { JWKS_PATH } from './claims.js';
import { createTokenVerifier, type TokenVerifier } from './verifier.js';

/** The verifier every service uses: the Login API's JWKS at its configured URL. */
export function verifierFromConfig(common: CommonConfig): TokenVerifier {
  return createTokenVerifier({ jwksUrl: `${common.urls.login}${JWKS_PATH}` });
}
