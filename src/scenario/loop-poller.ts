import http from 'node:http';

const MAX_IN_FLIGHT = 8;
const POLL_TIMEOUT_MS = 30_000;

export interface LoopDelaySample {
  pid: number;
  delayMs: number;
}

/** Reads `recentLoopDelay.maxMs` and `pid` from a /metrics body; null when either is missing. */
export function parseLoopDelay(body: string): LoopDelaySample | null {
  try {
    const parsed = JSON.parse(body) as { pid?: unknown; recentLoopDelay?: { maxMs?: unknown } };
    const pid = parsed.pid;
    const delayMs = parsed.recentLoopDelay?.maxMs;
    return typeof pid === 'number' && typeof delayMs === 'number' ? { pid, delayMs } : null;
  } catch {
    return null;
  }
}

/**
 * Polls `GET /metrics` every intervalMs, each on a fresh connection so that under cluster the
 * primary hands polls to every worker in turn. Polls do not wait for each other: a process blocked
 * by an import answers late (with the delay it just lived through), the others keep answering. At
 * most MAX_IN_FLIGHT polls are outstanding. Failed polls are dropped: this feeds a live view, the
 * results' own event-loop figures come from the server's histograms.
 */
export function pollLoopDelay(baseUrl: string, intervalMs: number, onSample: (sample: LoopDelaySample) => void): () => void {
  let inFlight = 0;
  const requests = new Set<http.ClientRequest>();
  const poll = (): void => {
    if (inFlight >= MAX_IN_FLIGHT) return;
    inFlight += 1;
    const req = http.get(`${baseUrl}/metrics`, { agent: false, timeout: POLL_TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const sample = res.statusCode === 200 ? parseLoopDelay(body) : null;
        if (sample && requests.has(req)) onSample(sample);
      });
    });
    requests.add(req);
    req.on('timeout', () => req.destroy());
    req.on('error', () => {});
    req.on('close', () => {
      inFlight -= 1;
      requests.delete(req);
    });
  };
  const timer = setInterval(poll, intervalMs);
  return () => {
    clearInterval(timer);
    for (const req of requests) req.destroy();
    requests.clear();
  };
}
