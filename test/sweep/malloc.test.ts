import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { commandEnv, mallocTunablesInEffect, SWEEP_MALLOC_TUNABLES } from '../../src/sweep/malloc.js';

describe('the sweep\'s allocator setting', () => {
  it('a sweep runs with glibc told to keep freed memory; any other command with its environment as is', () => {
    expect(SWEEP_MALLOC_TUNABLES).toBe('glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4294967296');
    expect(commandEnv(['sweep', '--quick'], { PATH: '/bin', GLIBC_TUNABLES: 'glibc.malloc.arena_max=1' })).toEqual({
      PATH: '/bin',
      GLIBC_TUNABLES: SWEEP_MALLOC_TUNABLES,
    });
    const env = { PATH: '/bin' };
    expect(commandEnv(['scenario', 'sweep'], env)).toBe(env);
  });

  it('npm run sweep starts the CLI with the same setting (the process reads it once, at start)', () => {
    const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.sweep).toBe(`GLIBC_TUNABLES=${SWEEP_MALLOC_TUNABLES} node dist/src/cli.js sweep`);
  });

  it('records what a process was started with; unset, empty or not on glibc is the defaults (null)', () => {
    expect(mallocTunablesInEffect({ GLIBC_TUNABLES: SWEEP_MALLOC_TUNABLES }, true)).toBe(SWEEP_MALLOC_TUNABLES);
    expect(mallocTunablesInEffect({ GLIBC_TUNABLES: SWEEP_MALLOC_TUNABLES }, false)).toBeNull();
    expect(mallocTunablesInEffect({ GLIBC_TUNABLES: '' }, true)).toBeNull();
    expect(mallocTunablesInEffect({}, true)).toBeNull();
  });

  it('scripts/on-node.sh starts a sweep with the same setting', () => {
    const script = readFileSync(path.join(projectRoot, 'scripts', 'on-node.sh'), 'utf8');
    expect(script).toContain(`if [[ "\${1-}" == sweep ]]; then export GLIBC_TUNABLES=${SWEEP_MALLOC_TUNABLES}; fi`);
  });
});
