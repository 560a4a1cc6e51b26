import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OkSweepPoint, SweepPoint, SweepTransportResult } from '../../src/results/schema.js';
import { createProgress } from '../../src/sweep/progress.js';
import { renderFailurePoints, renderSummaryTable } from '../../src/sweep/table.js';

function ok(sizeBytes: number, mbPerS: number): OkSweepPoint {
  const ms = sizeBytes / 1e6 / mbPerS * 1000;
  return { sizeBytes, state: 'ok', roundTripMs: { median: ms, min: ms, max: ms }, mbPerS, senderMaxBlockMs: 1, peakRssBytes: { sender: 1, receiver: 1 } };
}
function failed(sizeBytes: number, state: Exclude<SweepPoint['state'], 'ok'>): SweepPoint {
  return { sizeBytes, state, roundTripMs: null, mbPerS: null, senderMaxBlockMs: null, peakRssBytes: null };
}

const results: SweepTransportResult[] = [
  { transport: 'raw-socket', points: [ok(1024, 0.4567), { ...ok(65537, 45.67), noisy: true }, ok(1048576, 1234.5)], failurePoint: null },
  {
    transport: 'naive-socket',
    points: [ok(1024, 0.5), failed(65537, 'corrupted'), failed(1048576, 'skipped')],
    failurePoint: { sizeBytes: 65537, state: 'corrupted', error: 'SHA-256 mismatch: sent 65537 bytes, got 65536 bytes' },
  },
  {
    transport: 'fork-json',
    points: [failed(1024, 'out-of-memory'), failed(65537, 'skipped'), failed(1048576, 'skipped')],
    failurePoint: { sizeBytes: 1024, state: 'out-of-memory' },
  },
];

describe('summary table', () => {
  it('renders MB/s or the failure kind per transport and size', () => {
    expect(renderSummaryTable(results)).toBe(
      [
        'MB/s                  1 KiB   64 KiB+1  1 MiB',
        'raw-socket             0.46      45.7~   1235',
        'naive-socket           0.50  corrupted      -',
        'fork-json     out-of-memory          -      -',
        'MB/s = payload size (10^6 bytes) / median warm round-trip time (the payload crosses twice); ~ = noisy (margin of error above ±10 %); - = not tried after the failure point',
        '',
      ].join('\n'),
    );
  });
  it('lists each failure point', () => {
    expect(renderFailurePoints(results)).toBe(
      [
        'Failure points:',
        '  raw-socket    no failure up to 1 MiB',
        '  naive-socket  corrupted at 64 KiB+1: SHA-256 mismatch: sent 65537 bytes, got 65536 bytes',
        '  fork-json     out-of-memory at 1 KiB',
        '',
      ].join('\n'),
    );
  });
});

describe('progress', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('draws on a terminal at each point and twice a second, with the phase; says nothing when piped', () => {
    vi.useFakeTimers();
    const written: string[] = [];
    const piped: string[] = [];
    let nowMs = 0;
    const tty = createProgress({ isTTY: true, write: (t: string) => written.push(t) }, () => nowMs);
    const pipe = createProgress({ isTTY: false, write: (t: string) => piped.push(t) }, () => nowMs);
    for (const progress of [tty, pipe]) {
      progress.onEvent({ type: 'point-start', transport: 'chunked', sizeBytes: 65536 });
      progress.onEvent({ type: 'exchange', transport: 'chunked', sizeBytes: 65536, phase: 'cold', samples: 0 });
      progress.onEvent({ type: 'exchange', transport: 'chunked', sizeBytes: 65536, phase: 'warm-up', samples: 0 });
      progress.onEvent({ type: 'exchange', transport: 'chunked', sizeBytes: 65536, phase: 'sample', samples: 2 });
      nowMs = 1500;
      vi.advanceTimersByTime(500);
      // Transports take turns at a size: the line follows the one exchanging.
      progress.onEvent({ type: 'exchange', transport: 'raw-socket', sizeBytes: 65536, phase: 'sample', samples: 0 });
      nowMs = 2000;
      vi.advanceTimersByTime(500);
      progress.done();
      nowMs = 0;
    }
    expect(written).toEqual([
      '\r\x1b[Ksweep: chunked 64 KiB  0.0 s',
      '\r\x1b[Ksweep: chunked 64 KiB (sample 3)  1.5 s',
      '\r\x1b[Ksweep: raw-socket 64 KiB (sample 1)  2.0 s',
      '\r\x1b[K',
    ]);
    expect(piped).toEqual([]);
  });
});
