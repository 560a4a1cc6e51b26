// Starts and stops fixtures/station-server.mjs (a forked child, so its blocking never blocks the load
// generator) for the load tests.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const fixture = fileURLToPath(new URL('./fixtures/station-server.mjs', import.meta.url));
const children: ChildProcess[] = [];

export interface StationServerPlan {
  /** Busy-waits this long ... */
  blockMs?: number;
  /** ... every periodMs ... */
  periodMs?: number;
  /** ... from this long after listening (default: periodMs). */
  firstBlockAtMs?: number;
  /** `hang:k` or `drop:k`: every k-th request is never answered or has its connection destroyed. */
  fault?: string;
  /** Busy-waits this long before each answer. */
  serviceMs?: number;
}

export async function startStationServer(plan: StationServerPlan = {}): Promise<{ child: ChildProcess; baseUrl: string }> {
  const { blockMs = 0, periodMs = 3000, firstBlockAtMs = periodMs, fault = 'none:0', serviceMs = 0 } = plan;
  const child = fork(fixture, [String(blockMs), String(periodMs), String(firstBlockAtMs), fault, String(serviceMs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  const [message] = (await once(child, 'message')) as [{ port: number }];
  return { child, baseUrl: `http://127.0.0.1:${message.port}` };
}

export interface ServerStats {
  /** Connections accepted so far. */
  connections: number;
  requests: number;
  /** Connections not closed yet. */
  open: number;
}

export async function serverStats(child: ChildProcess): Promise<ServerStats> {
  const reply = once(child, 'message');
  child.send('stats');
  const [message] = (await reply) as [ServerStats];
  return message;
}

/** Polls until the client side has closed every connection; returns the open count at the end. */
export async function openConnectionsAfter(child: ChildProcess, timeoutMs = 2000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let stats = await serverStats(child);
  while (stats.open > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    stats = await serverStats(child);
  }
  return stats.open;
}

/** For afterEach: ends every server started since the last call. */
export async function stopStationServers(): Promise<void> {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill();
      await exited;
    }
  }
}
