import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { faultCellText, faultSentences } from '../../src/results/fault-facts.js';
import { loadRun } from '../../src/results/run-results.js';
import type { FaultsResult } from '../../src/results/schema.js';
import { faultFindings, faultsCommand, faultsSection, faultTable } from '../../src/report/faults.js';
import { renderReport } from '../../src/report/report.js';
import { renderFaultTable } from '../../src/faults/table.js';

const FAULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'faults');
const RUN = '2026-03-04T08-00-00Z-f4a1';

async function fixture(): Promise<FaultsResult> {
  const run = await loadRun(FAULTS_DIR, RUN);
  expect(run.unreadable).toEqual([]);
  expect(run.faults?.file).toBe(`${RUN}/faults.json`);
  return run.faults!.result;
}

describe('the fault table', () => {
  it('renders transports x faults with outcome and time to detect, colour-coded; — where a fault does not apply', async () => {
    expect(faultTable(await fixture())).toBe(
      [
        '| transport | kill-mid-transfer | hang | out-of-memory | truncated-frame | garbage-header |',
        '| --- | --- | --- | --- | --- | --- |',
        '| fork-json | 🟢 crashed 19 ms | 🟡 timeout 5.0 s | 🟡 out-of-memory 1.2 s | — | — |',
        '| raw-socket | 🟢 crashed 16 ms | 🟡 timeout 5.0 s | — | 🔴 wrong-reply (expected corrupted) | 🟢 corrupted 10 ms |',
        '| worker-pool | — | — | 🟡 out-of-memory 1.0 s | — | — |',
      ].join('\n'),
    );
  });

  it('marks what else went wrong in a cell', async () => {
    const base = (await fixture()).cases[0]!;
    expect(faultCellText({ ...base, callerAlive: false, lost: 1, leftovers: { processes: 2, tempDirs: 1 }, recovered: false, finding: true })).toBe(
      '🔴 crashed 19 ms caller died 1 lost left 2 processes, 1 temp dirs no recovery',
    );
  });

  it('counts the Redis keys a queue case left: a number where counted, n/a where its Redis was gone, a finding above 0', async () => {
    const base = (await fixture()).cases[0]!;
    const queue = (fault: string, redisKeys: number | null, finding: boolean) => ({
      ...base, transport: 'queue', fault, expected: 'ok' as const, observed: 'ok' as const, detectMs: null, leftovers: { processes: 0, tempDirs: 0, redisKeys }, finding,
    });
    const clean = queue('queue-worker-killed-mid-import', 0, false);
    const gone = queue('redis-killed-mid-import', null, false);
    const leaky = queue('queue-worker-killed-mid-import', 3, true);
    expect(faultCellText(clean)).toBe('🟢 ok');
    expect(faultCellText(leaky)).toBe('🔴 ok left 0 processes, 0 temp dirs, 3 Redis keys');
    const text = renderFaultTable([clean, gone], 5000);
    expect(text.split('\n').slice(1, 3)).toEqual([
      'queue      queue-worker-killed-mid-import  ok        🟢 ok                     0, 0, 0',
      'queue      redis-killed-mid-import         ok        🟢 ok                     0, 0, n/a',
    ]);
    expect(faultSentences([clean, gone], null).slice(-2)).toEqual([
      'No exchange was lost (each ended with a reply or an error), and nothing was left behind: no process, no socket, no temp dir.',
      'Redis keys the queue left after its own clean-up, counted before its private Redis stopped: queue-worker-killed-mid-import 0, redis-killed-mid-import n/a (its Redis was gone).',
    ]);
    expect(faultSentences([leaky], null).slice(-2)).toEqual([
      'Lost exchanges: 0; left behind: 0 processes, 0 temp dirs (socket files live in them), 3 Redis keys.',
      'Redis keys the queue left after its own clean-up, counted before its private Redis stopped: queue-worker-killed-mid-import 3.',
    ]);
    // A transport case (no Redis) says nothing about Redis keys.
    expect(faultSentences([{ ...base, leftovers: { processes: 0, tempDirs: 0, redisKeys: null } }], null).join(' ')).not.toContain('Redis');
  });

  it('computes the sentences from the cases, findings first', async () => {
    const result = await fixture();
    expect(faultSentences(result.cases, 5000)).toEqual([
      'raw-socket: a reply cut inside a frame goes unnoticed: the exchange resolved with a wrong reply (expected corrupted).',
      'fork-json, raw-socket: a peer that hangs mid-reply is noticed only by the 5.0 s exchange timeout; nothing tells a stopped peer from a slow one.',
      'A peer that died was noticed in 16 ms (median of 2 cases); the slowest, 19 ms: fork-json, a peer killed while the request is still being written.',
      'The caller survived all 8 faults.',
      'No exchange was lost (each ended with a reply or an error), and nothing was left behind: no process, no socket, no temp dir.',
    ]);
    // An intact reply that was the sound outcome (a queue's job taken again) is no finding.
    const retried = {
      ...result.cases[0]!, transport: 'queue', fault: 'queue-worker-killed-mid-import', expected: 'ok' as const, observed: 'ok' as const,
      message: '200 4854 ms after the fault: the import was done again elsewhere', detectMs: null, light: { sent: 282, failed: 0 }, finding: false,
    };
    expect(faultSentences([retried], null).slice(0, 1)).toEqual([
      'queue: the queue worker killed mid-import under light traffic: the import still completed (200 4854 ms after the fault: the import was done again elsewhere); all 282 light requests sent from then on were answered.',
    ]);
    const mislabelled = { ...result.cases[3]!, observed: 'corrupted' as const, message: 'malformed message: 0 bytes', finding: true };
    expect(faultSentences([mislabelled], null)[0]).toBe(
      'raw-socket: a peer killed while the request is still being written is reported as corrupted ("malformed message: 0 bytes"), not as crashed.',
    );
  });

  it('lists every finding, and the command that reproduces the run', async () => {
    const result = await fixture();
    expect(faultFindings(result)).toBe(
      '- **raw-socket, truncated-frame**: expected corrupted, observed wrong-reply: the exchange resolved with a reply that differs from the request',
    );
    expect(faultsCommand(result)).toBe('npm run faults -- --transports fork-json,raw-socket,worker-pool --faults kill-mid-transfer,hang,truncated-frame,garbage-header,out-of-memory --timeout 5');
    expect(faultsSection(undefined)).toBe('No faults result (`npm run faults`).');
  });

  it('the command prints one line per case and the same sentences', async () => {
    const text = renderFaultTable((await fixture()).cases, 5000);
    // This file predates the Redis count: the column says n/a (not measured), never 0.
    expect(text.split('\n').slice(0, 3)).toEqual([
      'transport    fault              expected       observed, time to detect             left: processes, temp dirs, Redis keys',
      'fork-json    kill-mid-transfer  crashed        🟢 crashed 19 ms                     0, 0, n/a',
      'fork-json    hang               timeout        🟡 timeout 5.0 s                     0, 0, n/a',
    ]);
    expect(text).toContain('raw-socket   truncated-frame    corrupted      🔴 wrong-reply (expected corrupted)  0, 0, n/a');
    expect(text).toContain('8 cases, findings: 1.');
    expect(text).toContain('- The caller survived all 8 faults.');
  });

  it('the report shows the section, the summary line and the command', async () => {
    const run = await loadRun(FAULTS_DIR, RUN);
    const report = renderReport(run, { resultsDirLabel: 'results', generatedAt: new Date('2026-03-04T09:00:00Z'), charts: [] });
    expect(report).toContain('## Faults: when the peer dies, hangs or lies');
    expect(report).toContain('- Faults: 8 cases, findings: 1 (see Faults).');
    expect(report).toContain(`npm run faults -- --transports fork-json,raw-socket,worker-pool`);
    expect(report).toContain('| raw-socket | 🟢 crashed 16 ms |');
  });
});
