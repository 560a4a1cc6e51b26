import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateResult } from '../../src/results/store.js';
import { commandEnv, SWEEP_MALLOC_TUNABLES } from '../../src/sweep/malloc.js';
import { CpuPlacement } from '../../src/sweep/placement.js';
import { runCli } from '../helpers/cli.js';

const outDir = mkdtempSync(path.join(os.tmpdir(), 'sweep-cli-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('sweep command', () => {
  it.each([
    [['--sizes', '12XB'], '--sizes must be a size such as 1048576, 64KiB or 10MB (got "12XB")'],
    // Every other option's message is checked in config.test.ts; here, that the CLI turns it into exit 2.
    [['--transports', 'carrier-pigeon'], '--transports accepts a comma-separated list of:'],
    // yargs alone would read it as false and run unpinned; with the check, the flag is refused before
    // --sizes is read (without it, the sizes' message would come instead).
    [['--pinCpus=maybe', '--sizes', '12XB'], '--pin-cpus is a flag: give it alone, as --no-pin-cpus, or as --pin-cpus=true or false (got "maybe")'],
  ])('rejects %j with one line naming the option, exit 2, nothing started', async (args, message) => {
    const run = await runCli(['sweep', ...args, '--out', path.join(outDir, 'never')]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(message);
    expect(existsSync(path.join(outDir, 'never'))).toBe(false);
  });

  it('--json prints only the result document, the same one it writes', async () => {
    const out = path.join(outDir, 'json');
    // Started as npm run sweep starts it: the allocator setting is recorded with the figures.
    const run = await runCli(['sweep', '--transports', 'raw-socket', '--sizes', '1KiB,64KiB', '--repeat', '2', '--quick', '--json', '--out', out, '--run-id', 'bench-1'], {
      env: commandEnv(['sweep'], {}),
    });
    expect(run.code).toBe(0);
    const printed = validateResult(JSON.parse(run.stdout));
    expect(readdirSync(out)).toEqual(['bench-1']);
    expect(printed.runId).toBe('bench-1');
    expect(printed).toEqual(JSON.parse(readFileSync(path.join(out, 'bench-1', 'sweep.json'), 'utf8')));
    if (printed.kind !== 'sweep') throw new Error('not a sweep result');
    expect(printed.state).toBe('completed');
    expect(printed.config).toMatchObject({ transports: ['raw-socket'], sizesBytes: [1024, 65536], repeat: 2, timeoutMs: 30_000, mallocTunables: SWEEP_MALLOC_TUNABLES });
    // Placed by default where this machine allows it (2+ CPUs, taskset), as the probe here finds.
    expect(printed.config['cpuPlacement']).toEqual(CpuPlacement.probe()?.plan ?? null);
    expect(printed.transports[0]!.points.map((p) => [p.sizeBytes, p.state])).toEqual([[1024, 'ok'], [65536, 'ok']]);
    // Warm-sampled (schema 3): at least --repeat samples after a warm-up, the cold exchange apart.
    expect(printed.schemaVersion).toBe(3);
    for (const point of printed.transports[0]!.points) {
      if (point.state !== 'ok') throw new Error(`raw-socket ${point.sizeBytes}: ${point.state}`);
      expect(point.samples).toBeGreaterThanOrEqual(2);
      expect(point.warmupExchanges).toBeGreaterThanOrEqual(3);
      expect(point.firstRoundTripMs).toBeGreaterThan(0);
      expect(point.roundTripMs!.p10).toBeLessThanOrEqual(point.roundTripMs!.p90!);
    }
    expect(run.stderr).toBe(''); // piped: no progress line
  });

  it('prints the summary table and failure points when not --json', async () => {
    const run = await runCli(['sweep', '--transports', 'naive-socket', '--sizes', '1KiB,1MiB', '--quick', '--out', path.join(outDir, 'table')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^MB\/s +1 KiB +1 MiB\nnaive-socket +[\d.]+~? +(corrupted|error)\n/);
    expect(run.stdout).toMatch(/Failure points:\n {2}naive-socket {2}(corrupted|error) at 1 MiB: /);
    expect(run.stdout).toContain(`wrote ${path.join(outDir, 'table')}`);
    expect(run.stderr).toBe('');
  });
});
