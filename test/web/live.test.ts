// `npm run scenario <id> -- --live`: the command-line run, watched through the same page and stream.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResult } from '../../src/results/store.js';
import { collectEvents, request, startUrlCommand } from '../helpers/workshop.js';

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'ipc-lab-live-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('scenario --live', () => {
  it('serves the run live, refuses starts, stays up after the run until Ctrl-C, and writes the same results', async () => {
    const args = ['scenario', 'single-thread', '--live', '--duration', '1', '--warmup', '0', '--rate', '20', '--records', '2000', '--imports', '1', '--work', '300', '--capacity', '0'];
    const live = await startUrlCommand([...args, '--out', outDir, '--run-id', 'live-test']);
    try {
      expect(live.output().stderr).toMatch(/\[single-thread\] live view: http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}\n/);
      expect(((await request(live.base, '/api/catalog')).json() as { mode: string }).mode).toBe('live');
      const refused = await request(live.base, '/api/runs', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-workshop-token': live.token },
        body: JSON.stringify({ kind: 'scenario', scenario: 'fork-send' }),
      });
      expect(refused.status).toBe(409);
      expect(refused.json()).toEqual({ error: 'this page shows one command-line run; start runs from the page of `npm run workshop`' });

      const events = await collectEvents(live.base, (seen) => seen.some((e) => e.type === 'run-ended'));
      const types = events.map((e) => (e.type === 'run-event' ? (e.event as { type: string }).type : e.type));
      expect(types[0]).toBe('run-started');
      expect(types.at(-1)).toBe('run-ended');
      expect(types.filter((t) => t === 'request').length).toBeGreaterThan(0);
      expect(types).toContain('import-end');
      const end = events.at(-1) as unknown as { outcome: { state: string; summaryText: string } };
      expect(end.outcome.state).toBe('completed');

      // The run is over; the page is still served until Ctrl-C.
      expect((await request(live.base, '/')).status).toBe(200);
      expect(live.output().stderr).toContain('[single-thread] the live view stays up at');
      const exit = await live.stop();
      expect(exit).toEqual({ code: 0, signal: null });
      const file = path.join(outDir, 'live-test', 'single-thread.json');
      expect(live.output().stdout).toContain(`Result file: ${file}`);
      expect(end.outcome.summaryText).toBe(live.output().stdout.trim());
      expect(await readResult(file)).toMatchObject({ state: 'completed', runId: 'live-test' });
    } finally {
      await live.stop();
    }
  });
});
