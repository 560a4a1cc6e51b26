import type { EventLoopSummary } from '../results/schema.js';
import type { TransportId } from '../transports/types.js';

/** The resolved options a scenario's server process runs with. */
export interface ServeConfig {
  host: string;
  /** 0: any free port. */
  port: number;
  /** Size of the "database" the light requests read from. */
  records: number;
  /** cluster: number of HTTP workers. */
  workers: number;
  /** IPC scenarios: keep the child alive across imports instead of forking one per import. */
  pool: boolean;
  /** Bounds every hand-off to a child (start-up, transfer, work, reply). */
  importTimeoutMs: number;
  /** Children run with --max-old-space-size, to reproduce a smaller server. */
  childHeapMb: number | null;
}

/** What a serving process (or a cluster primary for its workers) offers the runner. */
export interface ServingHandle {
  port: number;
  pids: number[];
  resetMetrics(): Promise<void>;
  collectMetrics(): Promise<Record<string, EventLoopSummary>>;
  close(): Promise<void>;
}

export interface ServeContext {
  config: ServeConfig;
  /** Record something that happened to the processes (a worker died, ...). */
  emit(message: string): void;
}

export interface ScenarioDefinition {
  id: string;
  title: string;
  /** Which iteration of the talk (1-6) this recreates. */
  talkIteration: number;
  /** What was tried and how it is wired, in a few sentences. */
  story: string;
  /** Transport the imports cross, when the work runs in a child. */
  transport?: TransportId;
  /** Runs in the server process: start serving and resolve once listening. */
  serve(context: ServeContext): Promise<ServingHandle>;
  /** cluster only: what each forked worker runs. */
  serveWorker?(config: ServeConfig): Promise<void>;
}

export function defineScenario(definition: ScenarioDefinition): ScenarioDefinition {
  return definition;
}
