// What a scenario run tells whoever listens while it runs (the live view, a test). The runner only
// emits these; it never knows who listens, as autocannon's run emits and its progress tracker listens.
// All times are ms on the run's clock: since runScenario was called.

export type RunPhaseName = 'starting' | 'warmup' | 'baseline' | 'underLoad' | 'capacityIdle' | 'capacityImports' | 'stopping';

export type ScenarioEvent =
  /** A phase begins. `starting` carries nothing; from `warmup` on the server is up. */
  | { type: 'phase'; phase: RunPhaseName; tMs: number; durationMs?: number; baseUrl?: string; pids?: number[] }
  /**
   * A light request was answered. tMs is its intended send time, as in the results' timeline, so
   * a request stuck behind an import is drawn where it was sent, at the height it waited.
   */
  | { type: 'request'; phase: RunPhaseName; tMs: number; latencyMs: number; pid: number | null; status: number | null }
  | { type: 'import-start'; index: number; tMs: number }
  | { type: 'import-end'; index: number; tMs: number; durationMs: number; ok: boolean; error?: string }
  /** Longest event-loop delay of a serving process over the last window, from its /metrics. */
  | { type: 'loop-delay'; tMs: number; pid: number; delayMs: number };

export type ScenarioEventListener = (event: ScenarioEvent) => void;
