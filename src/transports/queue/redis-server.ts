import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { registerCleanup } from '../common/cleanup.js';
import { PrivateTempDir } from '../common/temp-dir.js';
import { DEFAULT_MAXMEMORY_BYTES, isLoopbackHost, redisConfigText, type RedisEndpoint } from './redis-config.js';

// A redis-server the harness starts for itself and always stops: memory only, noeviction, bounded,
// reachable through a socket in a fresh 0700 directory (or 127.0.0.1 and a free port when TCP is
// needed). The directory, its socket and its config (which may hold the password) go with it.

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const LOG_TAIL_CHARS = 4096;
// Redis 6: "Ready to accept connections"; Redis 7: "The server is now ready to accept connections at ...".
const READY_PATTERN = /ready to accept connections/i;

export const REDIS_INSTALL_HINT = 'install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis)';

/** Full path of redis-server on PATH, or null. */
export function findRedisServer(searchPath = process.env.PATH ?? ''): string | null {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

export interface PrivateRedisOptions {
  /** 'unix' (default): a socket in the private dir. Otherwise TCP on this host (port 0: a free one). */
  listen?: 'unix' | { host: string; port: number };
  maxmemoryBytes?: number;
  binary?: string;
}

export class PrivateRedis {
  private stopping = false;
  private lost: string | null = null;
  private readonly exited: Promise<void>;
  private readonly unregister: () => void;
  private readonly lossListeners = new Set<(reason: string) => void>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: PrivateTempDir,
    readonly endpoint: RedisEndpoint,
    /** Set when the server listens beyond loopback; passed on by file or environment only. */
    readonly password: string | undefined,
    private readonly logTail: () => string,
  ) {
    this.unregister = registerCleanup(() => child.kill('SIGKILL'));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.unregister();
        if (!this.stopping) {
          // Its last log line explains a crash; after a kill it is only the last thing it did.
          const why = signal !== null ? `killed by ${signal}` : `exit code ${code}${lastLine(this.logTail())}`;
          this.lost = `the private redis-server (pid ${child.pid}) ended unexpectedly (${why})`;
          for (const listener of this.lossListeners) listener(this.lost);
        }
        resolve();
      });
    });
  }

  /** How errors name this server (its socket path is a temp dir that tells nobody anything). */
  get label(): string {
    return `the private redis-server (pid ${this.pid})`;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Why the server is gone, or null while it runs (or after stop()). */
  get lostReason(): string | null {
    return this.lost;
  }

  /** Called once if the server ends without stop(): a kill, a crash. */
  onLoss(listener: (reason: string) => void): () => void {
    this.lossListeners.add(listener);
    return () => this.lossListeners.delete(listener);
  }

  static async start(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
    const binary = options.binary ?? findRedisServer();
    if (binary === null) throw new Error(`redis-server not found on PATH: ${REDIS_INSTALL_HINT}`);
    const listen = options.listen ?? 'unix';
    // A random port can be taken between our probe and the server's bind: try again with another.
    for (let attempt = 1; ; attempt++) {
      try {
        return await PrivateRedis.startOnce(binary, listen === 'unix' ? 'unix' : { host: listen.host, port: listen.port || (await freePort(listen.host)) }, options);
      } catch (error: unknown) {
        const retry = listen !== 'unix' && listen.port === 0 && attempt < 3 && String(error).includes('Address already in use');
        if (!retry) throw error;
      }
    }
  }

  private static async startOnce(
    binary: string,
    listen: 'unix' | { host: string; port: number },
    options: PrivateRedisOptions,
  ): Promise<PrivateRedis> {
    const dir = PrivateTempDir.create('redis');
    try {
      const socketPath = dir.socket('redis.sock');
      const password = listen !== 'unix' && !isLoopbackHost(listen.host) ? randomBytes(24).toString('hex') : undefined;
      const configPath = dir.file('redis.conf');
      const config = redisConfigText({
        listen: listen === 'unix' ? { kind: 'unix', socketPath } : { kind: 'tcp', host: listen.host, port: listen.port },
        dir: dir.dir,
        maxmemoryBytes: options.maxmemoryBytes ?? DEFAULT_MAXMEMORY_BYTES,
        ...(password !== undefined ? { password } : {}),
      });
      writeFileSync(configPath, config, { mode: 0o600 });
      // Its own process group: a Ctrl-C to the terminal reaches us, and we stop the server after the
      // clients that use it, instead of it vanishing under them.
      const child = spawn(binary, [configPath], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      let log = '';
      const onLog = (chunk: Buffer): void => {
        log = (log + chunk.toString('utf8')).slice(-LOG_TAIL_CHARS);
      };
      child.stdout?.on('data', onLog);
      child.stderr?.on('data', onLog);
      const endpoint: RedisEndpoint =
        listen === 'unix' ? { kind: 'unix', path: socketPath } : { kind: 'tcp', host: listen.host, port: listen.port, tls: false, db: 0 };
      const redis = new PrivateRedis(child, dir, endpoint, password, () => log);
      try {
        await redis.ready(() => log);
      } catch (error) {
        await redis.stop();
        throw error;
      }
      return redis;
    } catch (error) {
      await dir.remove();
      throw error;
    }
  }

  private ready(log: () => string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`redis-server did not start within ${START_TIMEOUT_MS} ms${lastLine(log())}`)), START_TIMEOUT_MS);
      const onData = (): void => {
        if (READY_PATTERN.test(log())) done();
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
        done(new Error(`redis-server exited while starting (${signal ?? `exit code ${code}`})${lastLine(log())}`));
      const done = (error?: Error): void => {
        clearTimeout(timer);
        this.child.stdout?.off('data', onData);
        this.child.off('exit', onExit);
        if (error) reject(error);
        else resolve();
      };
      this.child.stdout?.on('data', onData);
      this.child.once('exit', onExit);
      onData();
    });
  }

  /** Stops the server (it saves nothing: no persistence) and removes its directory. Safe to call twice. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const stopped = await Promise.race([this.exited.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
      if (!stopped) this.child.kill('SIGKILL');
    }
    await this.exited;
    await this.dir.remove();
  }
}

function lastLine(log: string): string {
  const line = log.trim().split('\n').pop()?.trim() ?? '';
  return line === '' ? '' : `: ${line.slice(0, 300)}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
