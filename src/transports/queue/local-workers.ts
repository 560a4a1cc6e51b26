import { ChildOwner } from '../common/child-owner.js';
import { TransportError } from '../types.js';
import type { RedisTarget } from './connection.js';
import { WORKER_ENV, type LocalWorkerConfig, type LocalWorkerMessage } from './messages.js';

const START_TIMEOUT_MS = 30_000;

/** Forks one local worker process and resolves once its BullMQ worker is connected and waiting for jobs. */
export async function startLocalWorker(target: RedisTarget, config: Omit<LocalWorkerConfig, 'endpoint'>): Promise<ChildOwner> {
  const workerConfig: LocalWorkerConfig = { ...config, endpoint: target.endpoint };
  const owner = new ChildOwner({
    transportId: 'queue',
    args: [JSON.stringify(workerConfig)],
    ...(config.priority !== undefined ? { priority: config.priority } : {}),
    ...(target.password !== undefined ? { env: { [WORKER_ENV.password]: target.password } } : {}),
  });
  const ready = new Promise<void>((resolve, reject) => {
    owner.child.on('message', (message: LocalWorkerMessage) => {
      if (message.type === 'ready') resolve();
      if (message.type === 'failed') reject(new TransportError('error', `queue worker ${owner.pid} could not start: ${message.error}`));
    });
  });
  try {
    await owner.guard(ready, START_TIMEOUT_MS, `queue worker ${owner.pid} start-up`);
  } catch (error) {
    await owner.close();
    throw error;
  }
  return owner;
}

/**
 * The scenario's local worker processes. One that dies (killed, crashed) is replaced, as a process
 * manager would on a real host, and the run is told: its job is not lost, its lock expires and a
 * worker takes it again.
 */
export class LocalWorkers {
  private readonly owners = new Set<ChildOwner>();
  private closing = false;

  private constructor(
    private readonly target: RedisTarget,
    private readonly config: Omit<LocalWorkerConfig, 'endpoint'>,
    private readonly emit: (message: string) => void,
  ) {}

  static async start(
    count: number,
    target: RedisTarget,
    config: Omit<LocalWorkerConfig, 'endpoint'>,
    emit: (message: string) => void,
  ): Promise<LocalWorkers> {
    const workers = new LocalWorkers(target, config, emit);
    try {
      await Promise.all(Array.from({ length: count }, () => workers.add()));
    } catch (error) {
      await workers.close();
      throw error;
    }
    return workers;
  }

  get pids(): number[] {
    return [...this.owners].map((owner) => owner.pid);
  }

  private async add(): Promise<void> {
    const owner = await startLocalWorker(this.target, this.config);
    if (this.closing) return owner.close();
    this.owners.add(owner);
    owner.child.once('exit', (code, signal) => {
      this.owners.delete(owner);
      if (this.closing) return;
      this.emit(`queue worker ${owner.pid} ended (${signal ?? `exit code ${code}`}); starting a replacement`);
      this.add().catch((error: unknown) => this.emit(`queue worker replacement failed: ${String(error)}`));
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.owners].map((owner) => owner.close()));
    this.owners.clear();
  }
}
