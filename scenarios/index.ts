import type { ScenarioDefinition } from '../src/scenario/define.js';
import bufferZlib from './buffer-zlib.js';
import chunked from './chunked.js';
import cluster from './cluster.js';
import forkSend from './fork-send.js';
import nodeIpc from './node-ipc.js';
import queue from './queue.js';
import singleThread from './single-thread.js';
import workerPool from './worker-pool.js';

/**
 * Every runnable scenario, in the talk's order, then those beyond it (the order of every table and
 * chart). A new scenario is one file plus one line here. Loading this list loads only metadata: each
 * scenario imports its server code when it serves.
 */
export const scenarios: readonly ScenarioDefinition[] = [singleThread, cluster, forkSend, nodeIpc, bufferZlib, chunked, workerPool, queue];

export const scenarioIds = (): string[] => scenarios.map((s) => s.id);

export function findScenario(id: string): ScenarioDefinition | undefined {
  return scenarios.find((s) => s.id === id);
}
