import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compiledEntry } from '../../src/paths.js';
import { transportIds, transports } from '../../src/transports/registry.js';

describe('transport registry', () => {
  it('lists every transport once, in the order of docs/design.md, each under its own id', () => {
    expect(transportIds).toEqual(['fork-json', 'fork-advanced', 'node-ipc', 'naive-socket', 'buffer-zlib', 'chunked', 'worker-transfer', 'raw-socket', 'worker-pool', 'queue']);
    expect(transportIds.map((id) => transports[id].id)).toEqual(transportIds);
  });

  it('the peer entry point refuses an id it does not know, with exit code 2 and the known ids', () => {
    const result = spawnSync(process.execPath, [compiledEntry('transports/peer-main.js'), 'carrier-pigeon'], { encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`peer-main: unknown transport 'carrier-pigeon', expected one of ${transportIds.join(', ')}`);
  });
});
