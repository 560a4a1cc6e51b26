import type autocannon from 'autocannon';

/**
 * The parts of autocannon 9's lib/httpClient.js the driver relies on (not in its public types).
 * `_doRequest` is called whenever a connection can send (on connect, after each response, after an
 * error or timeout reconnected it); `_resetConnection` closes the socket and opens a new one, which then
 * calls `_doRequest`. autocannon's own `reconnectRate` drops the response that triggers the reconnect
 * (it returns before emitting `response`), so the driver reconnects itself.
 */
export interface ClientInternals {
  _doRequest: () => void;
  _resetConnection: () => void;
  /** Created after setupClient runs, before the first `_doRequest`. */
  timeoutTicker: { reschedule: (timeoutMs: number) => void };
  pipelinedRequests: { clear: () => void };
}

/** http-parser-js headers info, as emitted by the client's `headers` event. */
interface ParsedHeaders {
  statusCode?: number;
  headers?: string[];
}

export function asInternals(client: autocannon.Client): autocannon.Client & ClientInternals {
  const candidate = client as autocannon.Client & Partial<ClientInternals>;
  if (
    typeof candidate._doRequest !== 'function' ||
    typeof candidate._resetConnection !== 'function' ||
    typeof candidate.pipelinedRequests?.clear !== 'function'
  ) {
    throw new Error('autocannon client internals changed (expected autocannon 9 lib/httpClient.js): the load driver cannot pace requests');
  }
  return candidate as autocannon.Client & ClientInternals;
}

/** The pid in `x-served-by` of a raw header list [name, value, name, value, ...]; null if absent. */
export function servedByPid(parsed: unknown): number | null {
  const headers = (parsed as ParsedHeaders | undefined)?.headers ?? [];
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (headers[i]?.toLowerCase() !== 'x-served-by') continue;
    const pid = Number(headers[i + 1]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  }
  return null;
}
