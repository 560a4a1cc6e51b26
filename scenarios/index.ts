import type { ScenarioDefinition } from '../src/scenario/define.js';
import cluster from './cluster.js';
import singleThread from './single-thread.js';

/** Every runnable scenario, in the talk's order. A new scenario is one file plus one line here. */
export const scenarios: readonly ScenarioDefinition[] = [singleThread, cluster];

export const scenarioIds = (): string[] => scenarios.map((s) => s.id);

export function findScenario(id: string): ScenarioDefinition | undefined {
  return scenarios.find((s) => s.id === id);
}
