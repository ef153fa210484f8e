export * from './claims.js';
export { createTokenVerifier, InvalidTokenError, type TokenVerifier } from './verifier.js';
export { authGuards, currentUser, hasRole, type AuthGuards } from './guards.js';
export { verifierFromConfig } from './from-config.js';
