import { formatRedisUrl, type RedisEndpoint } from './redis-config.js';

/** The ioredis options we set: a plain object both ioredis and BullMQ's connection option accept. */
export interface ClientOptions {
  path?: string;
  host?: string;
  port?: number;
  db?: number;
  username?: string;
  password?: string;
  tls?: object;
  maxRetriesPerRequest: number | null;
  enableOfflineQueue?: boolean;
}

/** How the harness reaches one Redis server: where, and the password if it has one (kept out of argv). */
export interface RedisTarget {
  endpoint: RedisEndpoint;
  password?: string;
}

/**
 * ioredis options for a role. BullMQ requires `maxRetriesPerRequest: null` on a worker's connection
 * (its blocking commands must wait through a reconnect, not fail). A producer instead fails fast
 * while Redis is away: no offline queue, so an import is refused at once rather than parked.
 */
export function redisOptions(target: RedisTarget, role: 'producer' | 'worker'): ClientOptions {
  const where: Omit<ClientOptions, 'maxRetriesPerRequest'> =
    target.endpoint.kind === 'unix'
      ? { path: target.endpoint.path }
      : {
          host: target.endpoint.host,
          port: target.endpoint.port,
          db: target.endpoint.db,
          ...(target.endpoint.username !== undefined ? { username: target.endpoint.username } : {}),
          ...(target.endpoint.tls ? { tls: {} } : {}),
        };
  return {
    ...where,
    ...(target.password !== undefined ? { password: target.password } : {}),
    ...(role === 'worker' ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 1, enableOfflineQueue: false }),
  };
}

export function describeTarget(target: RedisTarget): string {
  return formatRedisUrl(target.endpoint);
}
