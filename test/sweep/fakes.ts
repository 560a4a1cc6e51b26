// Transports with injected faults, built on the real interface, for the sweep's own tests.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TransportError, type Payload, type Transport, type TransportId, type TransportPeer } from '../../src/transports/types.js';
import { isAlive } from '../helpers/processes.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'fault-child.mjs');

function fake(id: string, start: Transport['start']): Transport {
  return { id: id as TransportId, title: id, talkIteration: null, start };
}

/** An in-process echo; `alter` may change the reply by size (corrupt it, hang, throw). */
export function inProcessTransport(id: string, alter: (payload: Payload) => Promise<Payload> | Payload = (p) => p): Transport {
  return fake(id, async () => {
    const peer: TransportPeer = {
      pid: process.pid,
      async exchange(_job, payload) {
        const startedMs = Date.now();
        const reply = await alter(payload);
        return { reply, bytesToPeer: 0, bytesFromPeer: 0, roundTripMs: Date.now() - startedMs };
      },
      async close() {},
    };
    return peer;
  });
}

export const corruptAbove = (limitBytes: number) =>
  inProcessTransport('corrupts', (payload) => {
    if (payload.kind !== 'bytes' || payload.bytes.length <= limitBytes) return payload;
    const bytes = Buffer.from(payload.bytes);
    bytes[limitBytes] = bytes[limitBytes]! ^ 0xff;
    return { kind: 'bytes', bytes };
  });

/** Never answers and never times itself out: the sweep's own deadline must end it. */
export const hangAbove = (limitBytes: number, closed: { count: number }) => {
  const transport = inProcessTransport('hangs', (payload) =>
    payload.kind === 'bytes' && payload.bytes.length > limitBytes ? new Promise<Payload>(() => {}) : payload,
  );
  return fake('hangs', async (options) => {
    const peer = await transport.start(options);
    return { ...peer, exchange: peer.exchange.bind(peer), close: async () => void closed.count++ };
  });
};

export const throwAbove = (limitBytes: number, error: Error) =>
  inProcessTransport('throws', (payload) => {
    if (payload.kind === 'bytes' && payload.bytes.length > limitBytes) throw error;
    return payload;
  });

/**
 * A real child (fixtures/fault-child.mjs) over fork IPC, classifying its end the way a transport
 * must: out of memory from its stderr, otherwise crashed with the exit code or signal.
 */
export function childTransport(id: string, mode: 'echo' | 'crash' | 'kill', pids: number[]): Transport {
  return fake(id, async (options) => {
    const execArgv = options.childHeapMb === undefined ? [] : [`--max-old-space-size=${options.childHeapMb}`];
    const child = fork(FIXTURE, [mode], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    pids.push(child.pid!);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const ended = new Promise<TransportError>((resolve) =>
      child.once('close', (code, signal) => {
        const oom = /heap out of memory/.test(stderr);
        resolve(new TransportError(oom ? 'out-of-memory' : 'crashed', oom ? 'peer ran out of heap' : 'peer died', code, signal));
      }),
    );
    return {
      pid: child.pid!,
      async exchange(_job, payload) {
        if (payload.kind !== 'bytes') throw new TransportError('error', 'bytes only');
        const answer = new Promise<Payload>((resolve) =>
          child.once('message', (m: { base64: string }) => resolve({ kind: 'bytes', bytes: Buffer.from(m.base64, 'base64') })),
        );
        child.send({ base64: payload.bytes.toString('base64') });
        const reply = await Promise.race([answer, ended.then((error) => Promise.reject(error))]);
        return { reply, bytesToPeer: 0, bytesFromPeer: 0, roundTripMs: 0 };
      },
      async close() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await ended;
      },
    };
  });
}

export { isAlive };
