import type { AttemptLogLine } from './messages.js';

// Pure: what happened to each attempt of a job, read back from the lines its workers logged.

export interface AttemptRecord {
  host: string;
  pid: number;
  startedAtEpochMs: number;
  /**
   * 'lost': the attempt never reported an end; its worker stopped renewing the job's lock (killed,
   * crashed, cut off from Redis) and BullMQ gave the job to the next attempt, or failed it.
   */
  outcome: 'completed' | 'failed' | 'lost';
  error?: string;
}

const LOST = 'its worker stopped renewing the lock (killed, or cut off from Redis); the job was taken again';

function parseLine(line: string): AttemptLogLine | null {
  try {
    const value = JSON.parse(line) as Partial<AttemptLogLine>;
    return value.event === 'start' || value.event === 'error' ? (value as AttemptLogLine) : null;
  } catch {
    return null; // a line some other code logged: not ours to read
  }
}

/**
 * `logLines` oldest first. `final` is how the job ended; `finalError` is BullMQ's failedReason,
 * given to the last attempt when it did not log its own error (e.g. "job stalled more than
 * allowable limit" after its worker died).
 */
export function attemptsFromLog(logLines: readonly string[], final: 'completed' | 'failed', finalError?: string): AttemptRecord[] {
  const attempts: AttemptRecord[] = [];
  let open: AttemptRecord | null = null;
  for (const line of logLines.map(parseLine)) {
    if (line?.event === 'start') {
      if (open !== null) open.error = LOST;
      open = { host: line.host, pid: line.pid, startedAtEpochMs: line.atEpochMs, outcome: 'lost' };
      attempts.push(open);
    } else if (line?.event === 'error' && open !== null) {
      open.outcome = 'failed';
      open.error = line.message;
      open = null;
    }
  }
  if (open !== null) {
    if (final === 'completed') open.outcome = 'completed';
    else open.error = finalError ?? 'the job failed without a reason';
  }
  return attempts;
}
