import type { PayloadKind } from './payload.js';
import type { SamplingRule } from './sampler.js';

/**
 * What the sweep measures with, resolved and checked by the command (src/commands/sweep-options.ts);
 * recorded as the result file's `config`, so it holds what reproduces a figure and no machine path.
 */
export interface SweepConfig<T extends string = string> {
  transports: T[];
  sizesBytes: number[];
  maxSizeBytes: number;
  payload: PayloadKind;
  /** --repeat: the least number of timed samples per size (sampling.minSamples). */
  repeat: number;
  /** When a point stops: warm-up, then samples until a minimum count and time (src/sweep/sampler.ts). */
  sampling: SamplingRule;
  timeoutMs: number;
  childHeapMb: number | null;
  /** queue: where the payload travels (records in job data, or in a key of their own). */
  queuePlacement: 'job-data' | 'redis-key';
  quick: boolean;
  json: boolean;
  /**
   * Put the sweep's own threads on one CPU and every peer on another (placement.ts): what the CLI
   * does unless told --no-pin-cpus. Absent or false: the scheduler places them.
   */
  pinCpus?: boolean;
}
