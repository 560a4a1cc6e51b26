import path from 'node:path';
import { formatSize } from '../format/numbers.js';
import type { SweepConfig } from '../sweep/config.js';
import { PAYLOAD_KINDS, type PayloadKind } from '../sweep/payload.js';
import { DEFAULT_SAMPLING, QUICK_SAMPLING } from '../sweep/sampler.js';
import { DEFAULT_MAX_SIZE_BYTES, defaultSizes, MAX_SIZE_LIMIT_BYTES, QUICK_MAX_SIZE_BYTES } from '../sweep/sizes.js';
import { DEFAULT_PLACEMENT, PLACEMENTS } from '../transports/queue/messages.js';
import { parseChoice, parseChoiceList, parseNumber, parseSize, parseSizeList, UsageError } from './usage.js';

/** The command line as typed (yargs leaves every value a string so nothing is coerced silently). */
export interface SweepArgs {
  transports?: unknown;
  sizes?: unknown;
  maxSize?: unknown;
  payload?: unknown;
  repeat?: unknown;
  timeout?: unknown;
  childHeapMb?: unknown;
  queuePlacement?: unknown;
  quick?: boolean;
  json?: boolean;
  pinCpus?: boolean;
  out?: unknown;
  runId?: unknown;
  byNode?: boolean;
}

/**
 * Checks every option before anything starts; a bad one throws a UsageError naming it (exit 2).
 * --quick only changes defaults (sizes up to 1 MiB, shorter sampling): explicit options win. Where the
 * result file goes (`outDir`) is not part of the recorded config.
 */
export function resolveSweepOptions<T extends string>(
  args: SweepArgs,
  validTransports: readonly T[],
  defaultOutDir: string,
): { config: SweepConfig<T>; outDir: string } {
  const quick = args.quick === true;
  const transports = args.transports === undefined ? [...validTransports] : parseChoiceList('transports', args.transports, validTransports);
  const maxSizeBytes = args.maxSize === undefined ? (quick ? QUICK_MAX_SIZE_BYTES : DEFAULT_MAX_SIZE_BYTES) : parseSize('max-size', args.maxSize);
  if (maxSizeBytes < 1 || maxSizeBytes > MAX_SIZE_LIMIT_BYTES) {
    throw new UsageError(`--max-size must be from 1 byte to ${formatSize(MAX_SIZE_LIMIT_BYTES)} (got "${String(args.maxSize)}")`);
  }
  const sizesBytes = args.sizes === undefined ? defaultSizes(maxSizeBytes) : [...new Set(parseSizeList('sizes', args.sizes))].sort((a, b) => a - b);
  const tooSmall = sizesBytes.find((size) => size < 1);
  if (tooSmall !== undefined) throw new UsageError('--sizes must all be at least 1 byte (got 0)');
  const tooBig = sizesBytes.find((size) => size > maxSizeBytes);
  if (tooBig !== undefined) {
    throw new UsageError(
      `--sizes: ${formatSize(tooBig)} is above --max-size ${formatSize(maxSizeBytes)} (raise --max-size, up to ${formatSize(MAX_SIZE_LIMIT_BYTES)})`,
    );
  }
  if (sizesBytes.length === 0) throw new UsageError(`--max-size ${formatSize(maxSizeBytes)} leaves no default size: the smallest is 1 KiB`);
  const payload: PayloadKind = args.payload === undefined ? 'bytes' : parseChoice('payload', args.payload, PAYLOAD_KINDS);
  const baseSampling = quick ? QUICK_SAMPLING : DEFAULT_SAMPLING;
  const repeat = args.repeat === undefined ? baseSampling.minSamples : parseNumber('repeat', args.repeat, { min: 1, max: 10_000, integer: true });
  return {
    config: {
      transports,
      sizesBytes,
      maxSizeBytes,
      payload,
      repeat,
      sampling: { ...baseSampling, minSamples: repeat },
      timeoutMs: 1000 * (args.timeout === undefined ? 30 : parseNumber('timeout', args.timeout, { min: 0.1, max: 3600 })),
      childHeapMb: args.childHeapMb === undefined ? null : parseNumber('child-heap-mb', args.childHeapMb, { min: 16, max: 65536, integer: true }),
      queuePlacement: args.queuePlacement === undefined ? DEFAULT_PLACEMENT : parseChoice('queue-placement', args.queuePlacement, PLACEMENTS),
      quick,
      json: args.json === true,
      pinCpus: args.pinCpus !== false,
    },
    outDir: args.out === undefined ? defaultOutDir : path.resolve(String(args.out)),
  };
}
