export * from './decimal.js';
export * from './xmr.js';
export * from './fiat.js';
export * from './schemas.js';
