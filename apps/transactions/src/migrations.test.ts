import { describe, expect, it } from 'vitest';
import { migrations, splitStatements } from './migrations.js';

describe('migrations', () => {
  it('splits scripts into single statements, keeping function bodies whole', () => {
    const parts = splitStatements(`
-- a comment; with a semicolon
CREATE TABLE a (x text DEFAULT ';');
CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'no; never';
END $$;
INSERT INTO a VALUES ('it''s')`);
    expect(parts).toEqual([
      `CREATE TABLE a (x text DEFAULT ';')`,
      `CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  RAISE EXCEPTION 'no; never';\nEND $$`,
      `INSERT INTO a VALUES ('it''s')`,
    ]);
  });

  it('has unique, ordered ids', () => {
    const ids = migrations.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a.localeCompare(b))).toEqual(ids);
  });
});
