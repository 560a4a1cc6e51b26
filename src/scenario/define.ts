import type { ServeConfig, ServeContext, ServingHandle } from '../server/contract.js';
import type { TransportId } from '../transports/types.js';

/**
 * One scenario: what the talk tried (metadata, read by --list, the report and the charts) and how
 * its server process serves. `serve` and `serveWorker` import the server code when called, so
 * loading the registry (scenarios/index.ts) loads only the metadata.
 */
export interface ScenarioDefinition {
  id: string;
  title: string;
  /** Which iteration of the talk (1-6) this recreates; null: beyond the talk. */
  talkIteration: number | null;
  /** What was tried and how it is wired, in a few sentences. */
  story: string;
  /** Transport the imports cross, when the work runs in a child. */
  transport?: TransportId;
  /** Runs in the server process: start serving and resolve once listening. */
  serve(context: ServeContext): Promise<ServingHandle>;
  /** Extra options `npm run bench` runs this scenario with (queue: the scale figure). */
  benchArgs?: (quick: boolean) => string[];
  /** cluster only: what each forked worker runs. */
  serveWorker?(config: ServeConfig): Promise<void>;
}

export function defineScenario(definition: ScenarioDefinition): ScenarioDefinition {
  return definition;
}
