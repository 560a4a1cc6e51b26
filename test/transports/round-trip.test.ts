import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transports } from '../../src/transports/registry.js';
import { processPeakRssBytes } from '../../src/transports/common/peak-rss.js';
import type { TransportId, TransportPeer } from '../../src/transports/types.js';
import { diffStations, generateStations, makeIncoming } from '../../src/workload/index.js';
import { isAlive, ourTempDirs, sha256, useOwnTempDir } from './helpers.js';

// Every transport except naive-socket must move every size byte-exact, and structured data with
// non-ASCII strings intact. node-ipc's receiver appends every 64 KiB read to one string and rescans
// it, so its echo time grows with the square of the size: 32 MiB took 106 s on a quiet 2-core machine
// (the sweep measures that; here it would blow the suite's budget). Its largest echo is 4 MiB, still
// many reads and many delimiter scans.
// The largest, 8 MiB + 5: many 64 KiB socket reads and three 4 MiB chunked frames, not a multiple of either
// (the sweep moves up to 256 MiB; 32 MiB here cost the suite 25 s for nothing more proven).
const SIZES = [0, 1, 65_535, 65_536, 65_537, 1024 * 1024 + 7, 8 * 1024 * 1024 + 5];
const NODE_IPC_MAX_BYTES = 4 * 1024 * 1024 + 3;
const sizesFor = (id: TransportId): number[] =>
  id === 'node-ipc' ? [...SIZES.filter((size) => size < NODE_IPC_MAX_BYTES), NODE_IPC_MAX_BYTES] : SIZES;
const SLOW_ECHO_TIMEOUT_MS = 60_000;
const RSS_COUNTER_SLACK_BYTES = 1024 * 1024;
const ids: TransportId[] = ['fork-json', 'fork-advanced', 'node-ipc', 'buffer-zlib', 'chunked', 'worker-transfer', 'raw-socket'];

const records = generateStations(2_000, 11);
const diff = diffStations(records, makeIncoming(records, 0.2, 5), 0);
useOwnTempDir();
const tempDirsBefore = new Set(ourTempDirs());
const pids: number[] = [];

describe.each(ids)('%s round trip', (id) => {
  let peer: TransportPeer;
  beforeAll(async () => {
    peer = await transports[id].start({ timeoutMs: SLOW_ECHO_TIMEOUT_MS });
    pids.push(peer.pid);
  });
  afterAll(async () => {
    await peer.close();
  });

  it.each(sizesFor(id))('echoes %i random bytes byte-exact', async (size) => {
    const bytes = randomBytes(size);
    const expected = sha256(bytes);
    const result = await peer.exchange({ kind: 'echo' }, { kind: 'bytes', bytes });
    expect(result.reply.kind).toBe('bytes');
    if (result.reply.kind !== 'bytes') return;
    expect(result.reply.bytes.length).toBe(size);
    expect(sha256(result.reply.bytes)).toBe(expected);
    expect(result.bytesToPeer).toBeGreaterThanOrEqual(id === 'buffer-zlib' ? 0 : size);
    expect(result.roundTripMs).toBeGreaterThan(0);
  }, SLOW_ECHO_TIMEOUT_MS);

  it('echoes station records and a diff with non-ASCII strings intact', async () => {
    const sent = await peer.exchange({ kind: 'echo' }, { kind: 'records', records });
    expect(sent.reply).toEqual({ kind: 'records', records });
    expect(JSON.stringify(sent.reply)).toMatch(/[öüä]/);
    const back = await peer.exchange({ kind: 'echo' }, { kind: 'diff', diff });
    expect(back.reply).toEqual({ kind: 'diff', diff });
    const peakRssBytes = await peer.peerPeakRssBytes?.();
    if (id === 'worker-transfer') {
      // The worker shares this process: the kernel keeps no peak of its own for it.
      expect(peakRssBytes).toBeNull();
      return;
    }
    expect(peakRssBytes).toBeGreaterThan(10 * 1024 * 1024);
    if (process.platform === 'linux') {
      // The peer's own high-water mark, read by the kernel after its report: never below it but for
      // the kernel's batched per-CPU RSS counters (a read here was 152 KiB below the peer's earlier
      // one on a loaded machine). maxRSS in a forked child would also count this (vitest) process's
      // RSS at the fork: hundreds of MB above.
      expect(peakRssBytes).toBeLessThanOrEqual((await processPeakRssBytes(peer.pid))! + RSS_COUNTER_SLACK_BYTES);
    }
  });
});

describe('after every round trip', () => {
  it('leaves no child process and no temp dir', () => {
    expect(pids.filter((pid) => pid !== process.pid && isAlive(pid))).toEqual([]);
    expect(ourTempDirs().filter((name) => !tempDirsBefore.has(name))).toEqual([]);
  });
});
