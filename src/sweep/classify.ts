import type { FailureState } from '../results/schema.js';
import { TransportError } from '../transports/types.js';

export interface Failure {
  state: FailureState;
  error: string;
}

/** "exit code 3" or "signal SIGKILL", unless the message already names it. */
function exitNote(message: string, exitCode: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return message.includes(signal) ? '' : ` (signal ${signal})`;
  if (exitCode !== null) return new RegExp(`code ${exitCode}\\b`).test(message) ? '' : ` (exit code ${exitCode})`;
  return '';
}

/**
 * Maps whatever an exchange threw onto the failure kinds of docs/design.md. Transports say what happened with
 * TransportError.kind, so nothing here parses messages. 'refused' (a transport turned the size down
 * before sending) is not a sweep state: it is an `error` whose message says it was refused.
 */
export function classifyFailure(thrown: unknown): Failure {
  if (thrown instanceof TransportError) {
    const message = `${thrown.message}${exitNote(thrown.message, thrown.exitCode, thrown.signal)}`;
    switch (thrown.kind) {
      case 'timeout':
      case 'crashed':
      case 'out-of-memory':
      case 'corrupted':
      case 'error':
        return { state: thrown.kind, error: message };
      case 'refused':
        return { state: 'error', error: `refused: ${message}` };
      case 'cancelled':
        return { state: 'error', error: message };
    }
  }
  if (thrown instanceof Error) return { state: 'error', error: `${thrown.name}: ${thrown.message}` };
  return { state: 'error', error: String(thrown) };
}
