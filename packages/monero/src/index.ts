export * from './errors.js';
export * from './json.js';
export * from './transport.js';
export * from './daemon.js';
export * from './wallet.js';
export * from './wallet-types.js';
export * from './process.js';
export * from './regtest.js';
export * from './devchain.js';
export { parseDigestChallenge, digestAuthorization, type DigestChallenge } from './digest.js';

/** 1 XMR in atomic units (piconero). */
export const PICONERO_PER_XMR = 1_000_000_000_000n;
export { ownsListeningPort } from './ownership.js';
export * from './supervisor.js';
