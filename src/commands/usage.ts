/** Bad command-line input: cli.ts prints the message on one line and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** Parses `64KiB`, `10MB`, `1048576` (decimal kB/MB/GB, binary KiB/MiB/GiB). */
export function parseSize(option: string, raw: unknown): number {
  const text = String(raw).trim();
  const match = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(text);
  const unit = match ? SIZE_UNITS[(match[2] ?? '').toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new UsageError(`--${option} must be a size such as 1048576, 64KiB or 10MB (got "${text}")`);
  }
  const bytes = Math.round(Number(match[1]) * unit);
  if (!Number.isSafeInteger(bytes)) throw new UsageError(`--${option} is too large (got "${text}")`);
  return bytes;
}

export function parseSizeList(option: string, raw: unknown): number[] {
  const parts = String(raw).split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  if (parts.length === 0) throw new UsageError(`--${option} must be a comma-separated list of sizes such as 1KiB,64KiB,1MiB`);
  return parts.map((p) => parseSize(option, p));
}

/** A number within [min, max]; integer when asked. Rejects NaN, "abc", "", Infinity. */
export function parseNumber(
  option: string,
  raw: unknown,
  { min, max, integer = false }: { min: number; max: number; integer?: boolean },
): number {
  const text = String(raw).trim();
  const value = text === '' ? Number.NaN : Number(text);
  const kind = integer ? 'an integer' : 'a number';
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw new UsageError(`--${option} must be ${kind} from ${min} to ${max} (got "${text}")`);
  }
  return value;
}

export function parseChoiceList<T extends string>(option: string, raw: unknown, valid: readonly T[]): T[] {
  const parts = String(raw).split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  const bad = parts.filter((p) => !(valid as readonly string[]).includes(p));
  if (parts.length === 0 || bad.length > 0) {
    throw new UsageError(`--${option} accepts a comma-separated list of: ${valid.join(', ')} (got "${String(raw)}")`);
  }
  return [...new Set(parts)] as T[]; // "chunked,chunked" means chunked once
}

/** Exactly one of `valid`. */
export function parseChoice<T extends string>(option: string, raw: unknown, valid: readonly T[]): T {
  const text = String(raw).trim();
  if (!(valid as readonly string[]).includes(text)) {
    throw new UsageError(`--${option} accepts one of: ${valid.join(', ')} (got "${String(raw)}")`);
  }
  return text as T;
}

/** --run-id (hidden; `bench` puts every step in one run directory), else a fresh id. */
export function resolveRunId(raw: unknown, fresh: () => string): string {
  if (raw === undefined) return fresh();
  const runId = String(raw);
  if (!/^[\w.-]+$/.test(runId)) throw new UsageError(`--run-id accepts letters, digits, ".", "_" and "-" (got "${runId}")`);
  return runId;
}

/**
 * The run was stopped by a signal (or its parent went away: SIGHUP's exit code): cli.ts exits with
 * 128 + the signal's number, after cleanup. `alreadySaid`: the output already told the user why (a
 * summary's ERRORED line, a bench step's own message), so cli.ts does not repeat it.
 */
export class InterruptedError extends Error {
  constructor(
    readonly signal: NodeJS.Signals,
    message = `interrupted by ${signal}`,
    readonly alreadySaid = false,
  ) {
    super(message);
    this.name = 'InterruptedError';
  }

  /** The same interruption, marked as already told. */
  said(): InterruptedError {
    return new InterruptedError(this.signal, this.message, true);
  }
}

/**
 * A flag given a value (`--pin-cpus=maybe`) must say true or false: yargs reads any other word,
 * and even `=1`, as false, so a typo would quietly turn the flag off. `booleans` are the command's
 * flags as declared (yargs' own list, kebab-case); yargs also takes their camelCase spelling
 * (`--pinCpus=maybe`), so that counts too. (`--no-pin-cpus=...` needs no check: strict mode refuses
 * it as an unknown argument.) Tokens after `--` are not options.
 */
export function checkFlagValues(args: readonly string[], booleans: readonly string[]): void {
  for (const token of args) {
    if (token === '--') return;
    const match = /^--([^=]+)=(.*)$/s.exec(token);
    if (!match) continue;
    const name = match[1]!.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
    const value = match[2]!;
    if (booleans.includes(name) && value !== 'true' && value !== 'false') {
      throw new UsageError(`--${name} is a flag: give it alone, as --no-${name}, or as --${name}=true or false (got "${value}")`);
    }
  }
}
