import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

type Manifest = { name?: string; workspaces?: string[]; exports?: Record<string, string> | string };
const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** The workspace folders the root package.json names ("packages/*", "e2e", ...). */
function workspaceDirs(): string[] {
  return (readManifest(root).workspaces ?? []).flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [join(root, pattern)];
    const parent = join(root, pattern.slice(0, -2));
    return readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(parent, entry.name, 'package.json')))
      .map((entry) => join(parent, entry.name));
  });
}

/** Files under `dir` (recursively) whose path relative to it matches a one-`*` export pattern. */
function matchesPattern(dir: string, target: string): boolean {
  const [prefix = '', suffix = ''] = target.replace(/^\.\//, '').split('*');
  const base = join(dir, prefix.slice(0, prefix.lastIndexOf('/') + 1));
  if (!existsSync(base)) return false;
  return readdirSync(base, { recursive: true, encoding: 'utf8' }).some((file) => {
    const path = relative(dir, join(base, file));
    return path.startsWith(prefix) && path.endsWith(suffix) && existsSync(join(dir, path));
  });
}

/** Export entries of every workspace whose target file (or, for a pattern, any file) is missing. */
function brokenExports(): string[] {
  return workspaceDirs().flatMap((dir) => {
    const { name, exports } = readManifest(dir);
    if (exports === undefined) return [];
    const entries = typeof exports === 'string' ? { '.': exports } : exports;
    return Object.entries(entries)
      .filter(([, target]) => (target.includes('*') ? !matchesPattern(dir, target) : !existsSync(join(dir, target))))
      .map(([key, target]) => `${name ?? relative(root, dir)}: "${key}" -> ${target}`);
  });
}

describe('workspace package exports', () => {
  it('finds the workspaces', () => {
    expect(workspaceDirs().map((dir) => relative(root, dir))).toEqual(expect.arrayContaining(['packages/db', 'apps/stack', 'e2e']));
  });

  it('name only files that exist', () => {
    expect(brokenExports()).toEqual([]);
  });
});
