import type { Migration } from '@pupero/db';

export const migrations: Migration[] = [];
