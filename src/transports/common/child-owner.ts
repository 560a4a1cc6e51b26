import { fork, type ChildProcess } from 'node:child_process';
import { compiledEntry } from '../../paths.js';
import type { TransportId } from '../registry.js';
import { TransportError, type PeerOptions } from '../types.js';
import { registerCleanup } from './cleanup.js';
import { peerFaultArgs, type PeerFaultSpec } from './peer-fault.js';
import { PeerGuard } from './peer-guard.js';
import { afterFork, forkLauncher, type ImportPriority } from './priority.js';
import type { PeerOwner } from './peer-base.js';

const STDERR_TAIL_CHARS = 4096;
/** The one entry point of every peer (see peer-main.ts). */
export const PEER_ENTRY = 'transports/peer-main.js';
const OOM_PATTERN = /JavaScript heap out of memory|Reached heap limit/;

export interface ForkPeerOptions {
  transportId: TransportId;
  args: string[];
  childHeapMb?: number;
  serialization?: 'json' | 'advanced';
  /** `npm run faults` only: how the peer misbehaves (before the transport id on its argv). */
  peerFault?: PeerFaultSpec;
  /** Extra environment (a secret the peer needs: never on its command line). */
  env?: NodeJS.ProcessEnv;
  /** PeerOptions.priority: the peer starts with it (common/priority.ts). */
  priority?: ImportPriority;
}

/**
 * Owns one forked peer: classifies how it ended (exit code, signal, out of memory from its stderr),
 * rejects every guarded exchange at once when it ends, and kills it on timeout or close.
 */
export class ChildOwner implements PeerOwner {
  readonly child: ChildProcess;
  readonly pid: number;
  private stderrTail = '';
  private readonly peerGuard = new PeerGuard(() => this.child.kill('SIGKILL'));
  private readonly closed: Promise<void>;
  private readonly unregister: () => void;

  constructor(options: ForkPeerOptions) {
    const heapArgs = options.childHeapMb === undefined ? [] : [`--max-old-space-size=${options.childHeapMb}`];
    const priority = options.priority ?? 'normal';
    const launcher = forkLauncher(priority);
    this.child = fork(compiledEntry(PEER_ENTRY), [...peerFaultArgs(options.peerFault), options.transportId, ...options.args], {
      // `idle`: chrt runs first and execs node with these arguments (fork puts execArgv before the script).
      execPath: launcher.execPath,
      // Explicit execArgv: never inherit the parent's loader flags (vitest), the peer runs plain node.
      execArgv: [...launcher.leadingArgs, ...heapArgs],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: options.serialization ?? 'json',
      ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
    });
    if (this.child.pid === undefined) throw new TransportError('error', `could not fork the ${options.transportId} peer`);
    this.pid = this.child.pid;
    afterFork(this.pid, priority);
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_CHARS);
    });
    this.unregister = registerCleanup(() => this.child.kill('SIGKILL'));
    this.closed = new Promise((resolve) => {
      // 'close' (not 'exit') so stderr is fully read before the end is classified.
      this.child.once('close', (code, signal) => {
        this.unregister();
        this.fail(this.classifyEnd(code, signal));
        resolve();
      });
    });
    this.child.on('error', (error) => this.fail(new TransportError('error', `peer ${this.pid}: ${error.message}`)));
  }

  private classifyEnd(code: number | null, signal: NodeJS.Signals | null): TransportError {
    if (OOM_PATTERN.test(this.stderrTail)) {
      return new TransportError('out-of-memory', `peer ${this.pid} ran out of memory: ${this.lastStderrLine()}`, code, signal);
    }
    const how = signal !== null ? `was killed by signal ${signal}` : `exited with code ${code}`;
    const tail = this.lastStderrLine();
    return new TransportError('crashed', `peer ${this.pid} ${how}${tail ? `: ${tail}` : ''}`, code, signal);
  }

  private lastStderrLine(): string {
    const lines = this.stderrTail.trim().split('\n');
    return (lines.find((line) => OOM_PATTERN.test(line)) ?? lines[lines.length - 1] ?? '').trim().slice(0, 300);
  }

  fail(error: TransportError): void {
    this.peerGuard.fail(error);
  }

  /** Why the peer is no longer usable, or null while it is alive. */
  get ended(): TransportError | null {
    return this.peerGuard.ended;
  }

  /** Races `work` against the peer's end, a timeout and `signal` (both of which kill the peer). */
  guard<T>(work: Promise<T>, timeoutMs: number, what: string, signal?: AbortSignal): Promise<T> {
    return this.peerGuard.guard(work, timeoutMs, what, signal);
  }

  /**
   * A connection to the peer broke. If the peer is dying, how it died (exit code, signal, out of
   * memory) is the better explanation: wait briefly for it before settling for `error`.
   */
  async explainLoss(error: TransportError, graceMs = 500): Promise<TransportError> {
    if (this.ended === null) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.closed, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    return this.ended ?? error;
  }

  /** Kills the peer (if still running) and waits until it has exited. Safe to call twice. */
  async close(): Promise<void> {
    if (this.ended === null) this.fail(new TransportError('error', `peer ${this.pid} was closed`));
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.closed;
  }
}

/**
 * Forks the peer of `transportId` and waits for its first message, `{ type: 'ready' }` (every
 * forked peer sends it once it listens or is connected), within the timeout.
 */
export async function startForkedPeer(
  transportId: TransportId,
  args: string[],
  options: PeerOptions,
  serialization: 'json' | 'advanced' = 'json',
): Promise<ChildOwner> {
  const owner = new ChildOwner({
    transportId,
    args,
    childHeapMb: options.childHeapMb,
    ...(options.priority !== undefined ? { priority: options.priority } : {}),
    serialization,
    ...(options.peerFault ? { peerFault: options.peerFault } : {}),
  });
  const ready = new Promise<void>((resolve) => {
    const onMessage = (message: { type?: unknown }): void => {
      if (message.type !== 'ready') return;
      owner.child.off('message', onMessage);
      resolve();
    };
    owner.child.on('message', onMessage);
  });
  try {
    await owner.guard(ready, options.timeoutMs, `${transportId} peer start-up`);
  } catch (error) {
    await owner.close();
    throw error;
  }
  return owner;
}
