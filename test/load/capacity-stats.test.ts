import { describe, expect, it } from 'vitest';
import type { CapacityRecording, ConnectionAnswers } from '../../src/load/capacity.js';
import { connectionsByPid, stuckConnections, summarizeCapacity } from '../../src/load/capacity-stats.js';

const connection = (pid: number | null, answeredAtMs: number[]): ConnectionAnswers => ({ pid, answeredAtMs });

// Two processes: pid 1 answers throughout, pid 2 stops answering from 1000 ms to 3000 ms.
const connections = [
  connection(1, [100, 900, 1500, 2500, 3500]),
  connection(1, [200, 1100, 2950, 3600]),
  connection(2, [300, 950, 3050, 3700]),
  connection(2, [400, 3001]),
  connection(null, []),
];

describe('stuckConnections', () => {
  it('counts connections without an answer inside the window, 100 ms in from each edge', () => {
    // Window 1000..3000 -> answers count in 1100..2900: the second connection's 1100 counts, 2950 not.
    expect(stuckConnections(connections, 1000, 3000, 5000)).toBe(3);
    // The edge is a tenth of a short window: 0..600 -> 60..540.
    expect(stuckConnections(connections, 0, 600, 5000)).toBe(1);
  });

  it('clips the window to the phase, and says null when less than 500 ms of it is inside', () => {
    // 3200..4000, edge 80 ms -> 3280..3920: three connections answered in it.
    expect(stuckConnections(connections, 3200, 9000, 4000)).toBe(2);
    expect(stuckConnections(connections, 3600, 9000, 4000)).toBeNull();
    expect(stuckConnections(connections, -1000, -100, 4000)).toBeNull();
  });
});

describe('connectionsByPid', () => {
  it('counts connections by the pid of their latest answer, leaving out those never answered', () => {
    expect(connectionsByPid(connections)).toEqual({ '1': 2, '2': 2 });
  });
});

describe('summarizeCapacity', () => {
  it('turns a recording and its imports into the results Capacity', () => {
    const recording: CapacityRecording = {
      startedAtPerfMs: 123,
      durationMs: 4000,
      connections: 5,
      requests: 1000,
      requestsPerSecond: [400, 100, 100, 400],
      closedLoopLatencyMs: { p50: 1, p90: 2, p99: 900, p999: 1900, max: 2000, mean: 20 },
      errors: 1,
      timeouts: 0,
      non2xx: 2,
      requestsByPid: { '1': 800, '2': 200 },
      perConnection: connections,
      loadGeneratorCpuMs: 1500,
    };
    const imports = [
      { startedAtMs: 1000, durationMs: 2000, bytesToWorker: 0, bytesFromWorker: 0, ok: true, workerPid: 2 },
      { startedAtMs: 3100, durationMs: 2500, bytesToWorker: 0, bytesFromWorker: 0, ok: false, error: 'HTTP 502: child crashed' },
    ];
    expect(summarizeCapacity(recording, imports)).toEqual({
      durationMs: 4000,
      connections: 5,
      requests: 1000,
      rps: 250,
      rpsPerSecond: [400, 100, 100, 400],
      closedLoopLatencyMs: { p50: 1, p90: 2, p99: 900, p999: 1900, max: 2000, mean: 20 },
      errors: 1,
      timeouts: 0,
      non2xx: 2,
      requestsByPid: { '1': 800, '2': 200 },
      connectionsByPid: { '1': 2, '2': 2 },
      loadGeneratorCpuMs: 1500,
      imports: [
        { ...imports[0], connectionsOnBusyProcess: 2, stuckConnections: 3 },
        // 3100..4000 in the phase, edge 90 ms -> 3190..3910: three connections answered.
        { ...imports[1], connectionsOnBusyProcess: null, stuckConnections: 2 },
      ],
    });
  });
});
