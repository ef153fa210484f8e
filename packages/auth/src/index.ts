export * from './claims.js';
export { createTokenVerifier, InvalidTokenError, type TokenVerifier } from './verifier.js';
export { AUTH_ERROR_CODES, authGuards, currentUser, hasRole, type AuthErrorCode, type AuthGuards } from './guards.js';
export { verifierFromConfig } from './from-config.js';
