import type { FaultCaseResult } from './schema.js';

// Facts of a faults run, pure, shared by the command's table and the report: how a case is shown
// (symbol, outcome, time to detect) and the sentences that matter, computed from the cases.

/** Noticed within this: prompt; beyond it (a timeout, a slow classification): slow. */
export const PROMPT_DETECT_MS = 1000;

export type FaultGrade = 'as-expected' | 'slow' | 'finding';

/** 🟢 expected and prompt, 🟡 expected but slow (a timeout, or more than PROMPT_DETECT_MS), 🔴 a finding. */
export const GRADE_SYMBOL: Record<FaultGrade, string> = { 'as-expected': '🟢', slow: '🟡', finding: '🔴' };

export function faultGrade(c: FaultCaseResult): FaultGrade {
  if (c.finding) return 'finding';
  // A timeout is never prompt: only the clock noticed, however soon after the fault it ran out.
  if (c.observed === 'timeout') return 'slow';
  return c.detectMs !== null && c.detectMs > PROMPT_DETECT_MS ? 'slow' : 'as-expected';
}

export function formatDetectMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/**
 * Redis keys a case's queue left after its own clean-up: the count, or 'n/a' where no Redis is
 * involved, none could be counted (the Redis was gone) or the file predates the count.
 */
export function redisKeysText(c: FaultCaseResult): string {
  const keys = c.leftovers.redisKeys;
  return typeof keys === 'number' ? String(keys) : 'n/a';
}

/** Everything a case left behind, for the command's column (LEFTOVERS_HEADER): "0, 0, n/a". */
export function leftoversText(c: FaultCaseResult): string {
  return `${c.leftovers.processes}, ${c.leftovers.tempDirs}, ${redisKeysText(c)}`;
}
export const LEFTOVERS_HEADER = 'left: processes, temp dirs, Redis keys';

/** "🟢 crashed 18 ms", "🔴 wrong-reply (expected crashed)", and what else went wrong. */
export function faultCellText(c: FaultCaseResult): string {
  const parts = [GRADE_SYMBOL[faultGrade(c)], c.observed];
  if (c.detectMs !== null) parts.push(formatDetectMs(c.detectMs));
  if (c.observed !== c.expected) parts.push(`(expected ${c.expected})`);
  if (!c.callerAlive) parts.push('caller died');
  if (c.lost > 0) parts.push(`${c.lost} lost`);
  const redisKeys = c.leftovers.redisKeys ?? 0;
  if (c.leftovers.processes + c.leftovers.tempDirs + redisKeys > 0) {
    parts.push(`left ${c.leftovers.processes} processes, ${c.leftovers.tempDirs} temp dirs${redisKeys > 0 ? `, ${redisKeys} Redis keys` : ''}`);
  }
  if (c.recovered === false) parts.push('no recovery');
  if (c.light && c.light.failed > 0) parts.push(`light ${c.light.failed}/${c.light.sent} failed`);
  return parts.join(' ');
}

/** Transports and faults in the order the run has them, and each case by both. */
export function faultMatrix(cases: readonly FaultCaseResult[]): {
  transports: string[];
  faults: string[];
  at: (transport: string, fault: string) => FaultCaseResult | undefined;
} {
  return {
    transports: [...new Set(cases.map((c) => c.transport))],
    faults: [...new Set(cases.map((c) => c.fault))],
    at: (transport, fault) => cases.find((c) => c.transport === transport && c.fault === fault),
  };
}

const FAULT_PHRASES: Record<string, string> = {
  'kill-mid-transfer': 'a peer killed while the request is still being written',
  'kill-mid-reply': 'a peer killed in the middle of its reply',
  hang: 'a peer that hangs mid-reply',
  'exit-mid-reply': 'a peer that exits cleanly in the middle of its reply',
  'truncated-frame': 'a reply cut inside a frame',
  'garbage-header': 'a reply with a garbage header',
  'oversize-announce': 'a reply over the size limit',
  'length-mismatch': 'a reply whose length differs from its header',
  'out-of-memory': 'a peer out of memory',
  'worker-exit-mid-task': 'a pool worker that ends itself mid-task',
  'child-killed-mid-import': 'the child killed mid-import under light traffic',
  'worker-killed-mid-import': 'the worker killed mid-import under light traffic',
  'pool-worker-exit-mid-import': 'the pool worker ending itself mid-import under light traffic',
  'queue-worker-killed-mid-import': 'the queue worker killed mid-import under light traffic',
  'redis-killed-mid-import': 'Redis killed mid-import under light traffic',
};

const phrase = (fault: string): string => FAULT_PHRASES[fault] ?? fault;
const list = (items: readonly string[]): string => items.join(', ');

/** The sentences a reader needs, each computed from the cases; the findings first. */
export function faultSentences(cases: readonly FaultCaseResult[], timeoutMs: number | null): string[] {
  const sentences: string[] = [];
  // An intact reply is a finding unless it was the sound outcome (a queue's job taken again).
  for (const c of cases.filter((x) => x.observed !== x.expected && (x.observed === 'wrong-reply' || x.observed === 'ok'))) {
    sentences.push(`${c.transport}: ${phrase(c.fault)} goes unnoticed: the exchange resolved with ${c.observed === 'ok' ? 'an intact' : 'a wrong'} reply (expected ${c.expected}).`);
  }
  for (const c of cases.filter((x) => x.observed !== x.expected && x.observed !== 'wrong-reply' && x.observed !== 'ok')) {
    const first = (c.message ?? '').split('\n')[0]!.slice(0, 120);
    sentences.push(`${c.transport}: ${phrase(c.fault)} is reported as ${c.observed}${first ? ` ("${first}")` : ''}, not as ${c.expected}.`);
  }
  const timeout = timeoutMs === null ? 'the exchange timeout' : `the ${formatDetectMs(timeoutMs)} exchange timeout`;
  const hangs = cases.filter((c) => c.fault === 'hang' && c.observed === 'timeout').map((c) => c.transport);
  if (hangs.length > 0) sentences.push(`${list(hangs)}: ${phrase('hang')} is noticed only by ${timeout}; nothing tells a stopped peer from a slow one.`);
  const crashes = cases.filter((c) => c.observed === 'crashed' && c.detectMs !== null && c.observed === c.expected);
  if (crashes.length > 0) {
    const sorted = [...crashes].sort((a, b) => a.detectMs! - b.detectMs!);
    const slowest = sorted[sorted.length - 1]!;
    const median = sorted[Math.floor((sorted.length - 1) / 2)]!.detectMs!;
    sentences.push(
      `A peer that died was noticed in ${formatDetectMs(median)} (median of ${crashes.length} cases); the slowest, ${formatDetectMs(slowest.detectMs!)}: ${slowest.transport}, ${phrase(slowest.fault)}.`,
    );
  }
  for (const c of cases.filter((x) => x.light !== undefined && x.observed === x.expected && x.detectMs !== null)) {
    const light = c.light!;
    sentences.push(
      `${c.transport}: ${phrase(c.fault)}: the import's client was told (${c.observed}) in ${formatDetectMs(c.detectMs!)}; ` +
        `${light.failed === 0 ? `all ${light.sent}` : `${light.sent - light.failed} of ${light.sent}`} light requests sent from then on were answered.`,
    );
  }
  for (const c of cases.filter((x) => x.light !== undefined && x.observed === 'ok' && x.expected === 'ok')) {
    const light = c.light!;
    sentences.push(
      `${c.transport}: ${phrase(c.fault)}: the import still completed${c.message ? ` (${c.message})` : ''}; ` +
        `${light.failed === 0 ? `all ${light.sent}` : `${light.sent - light.failed} of ${light.sent}`} light requests sent from then on were answered.`,
    );
  }
  const dead = cases.filter((c) => !c.callerAlive);
  sentences.push(dead.length === 0 ? `The caller survived all ${cases.length} faults.` : `The caller itself died in ${dead.length} case(s): ${list(dead.map((c) => `${c.transport} ${c.fault}`))}.`);
  const lost = cases.reduce((sum, c) => sum + c.lost, 0);
  const processes = cases.reduce((sum, c) => sum + c.leftovers.processes, 0);
  const tempDirs = cases.reduce((sum, c) => sum + c.leftovers.tempDirs, 0);
  const redisKeys = cases.reduce((sum, c) => sum + (c.leftovers.redisKeys ?? 0), 0);
  sentences.push(
    lost + processes + tempDirs + redisKeys === 0
      ? 'No exchange was lost (each ended with a reply or an error), and nothing was left behind: no process, no socket, no temp dir.'
      : `Lost exchanges: ${lost}; left behind: ${processes} processes, ${tempDirs} temp dirs (socket files live in them)${redisKeys > 0 ? `, ${redisKeys} Redis keys` : ''}.`,
  );
  // Counted only where a queue ran on a Redis that was still there after its clean-up; a file
  // from before the count has no such field (nothing said then).
  const queueCases = cases.filter((c) => c.leftovers.redisKeys !== undefined && (c.transport === 'queue' || c.leftovers.redisKeys !== null));
  if (queueCases.length > 0) {
    const each = queueCases.map((c) => `${c.fault} ${c.leftovers.redisKeys === null ? 'n/a (its Redis was gone)' : redisKeysText(c)}`);
    sentences.push(`Redis keys the queue left after its own clean-up, counted before its private Redis stopped: ${list(each)}.`);
  }
  const unrecovered = cases.filter((c) => c.recovered === false);
  if (unrecovered.length > 0) sentences.push(`After the fault the caller could not get work done again in: ${list(unrecovered.map((c) => `${c.transport} ${c.fault}`))}.`);
  return sentences;
}
