import { readFileSync } from 'node:fs';
import type { RedisTarget } from '../transports/queue/connection.js';
import { WORKER_ENV } from '../transports/queue/messages.js';
import { endpointIsLoopback, parseRedisUrl, type RedisEndpoint } from '../transports/queue/redis-config.js';
import { findRedisServer, REDIS_INSTALL_HINT } from '../transports/queue/redis-server.js';
import { UsageError } from './usage.js';

// The options every command that talks to Redis shares: --redis URL and its password (by file or
// environment, never on the command line).

export interface RedisArgs {
  redis?: string;
  'redis-password-file'?: string;
}

export const REDIS_OPTION_DESCRIPTIONS = {
  redis: 'an existing Redis: redis://host:port[/db], rediss://... or unix:///path/redis.sock (no password in it)',
  'redis-password-file': `file holding the Redis password (or set ${WORKER_ENV.password}); required beyond loopback`,
} as const;

export function parseRedisEndpoint(raw: string): RedisEndpoint {
  const parsed = parseRedisUrl(raw);
  if (!parsed.ok) throw new UsageError(`--redis ${parsed.message}`);
  return parsed.endpoint;
}

/** The password from --redis-password-file, else the environment, else none. */
export function resolveRedisPassword(args: RedisArgs, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = args['redis-password-file'];
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error: unknown) {
      throw new UsageError(`--redis-password-file cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)} (${file})`);
    }
    const password = text.replace(/\r?\n$/, '');
    if (password === '' || password.includes('\n')) throw new UsageError('--redis-password-file must hold the password on one line');
    return password;
  }
  const fromEnv = env[WORKER_ENV.password];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

/** --redis with its password: a Redis beyond loopback without one is refused (it would be open to the network). */
export function resolveRedisTarget(args: RedisArgs & { redis: string }, env: NodeJS.ProcessEnv = process.env): RedisTarget {
  const endpoint = parseRedisEndpoint(args.redis);
  const password = resolveRedisPassword(args, env);
  if (!endpointIsLoopback(endpoint) && password === undefined) {
    throw new UsageError(
      `--redis ${args.redis} is beyond loopback: give its password with --redis-password-file FILE or ${WORKER_ENV.password} (a Redis on the network without one is open to anyone)`,
    );
  }
  return { endpoint, ...(password !== undefined ? { password } : {}) };
}

/** Without --redis the harness starts its own redis-server: it must be installed. */
export function assertRedisServerInstalled(): void {
  if (findRedisServer() === null) {
    throw new UsageError(`redis-server not found on PATH: ${REDIS_INSTALL_HINT}, or point --redis at a running Redis`);
  }
}
