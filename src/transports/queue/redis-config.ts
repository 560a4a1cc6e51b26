import net from 'node:net';

// Pure: how we describe, configure and reach a Redis server. Tested against exact values.

/** Where a Redis server listens, without any secret (safe to log, to print and to pass on a command line). */
export type RedisEndpoint =
  | { kind: 'unix'; path: string }
  | { kind: 'tcp'; host: string; port: number; tls: boolean; db: number; username?: string };

/** The settings BullMQ needs and the harness promises: memory only, nothing evicted, bounded. */
export interface RedisServerSettings {
  listen: { kind: 'unix'; socketPath: string } | { kind: 'tcp'; host: string; port: number };
  /** Working directory of the server (the private temp dir); nothing is written there but the socket. */
  dir: string;
  maxmemoryBytes: number;
  /** Required when listening on anything but loopback. */
  password?: string;
}

/** 1 GiB: room for a 32 MiB echo held three times over (job, reply, event stream) with margin. */
export const DEFAULT_MAXMEMORY_BYTES = 1024 ** 3;

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  if (net.isIPv6(bare)) return bare === '::1' || /^::ffff:127\./i.test(bare);
  return false;
}

export function endpointIsLoopback(endpoint: RedisEndpoint): boolean {
  return endpoint.kind === 'unix' || isLoopbackHost(endpoint.host);
}

/**
 * The contents of a redis.conf (a file, so the password never appears on a command line). A
 * config file quotes values redis-style: a password is generated hex, paths are ours.
 */
export function redisConfigText(settings: RedisServerSettings): string {
  const lines = [
    // No persistence: nothing survives the run and nothing is written to disk.
    'save ""',
    'appendonly no',
    // BullMQ requires that no key is ever evicted; a full Redis refuses writes instead.
    'maxmemory-policy noeviction',
    `maxmemory ${settings.maxmemoryBytes}`,
    `dir ${quote(settings.dir)}`,
    'daemonize no',
    'loglevel notice',
    'logfile ""',
    'databases 1',
  ];
  if (settings.listen.kind === 'unix') {
    lines.push('port 0', `unixsocket ${quote(settings.listen.socketPath)}`, 'unixsocketperm 700');
  } else {
    lines.push(`bind ${settings.listen.host}`, `port ${settings.listen.port}`);
    if (!isLoopbackHost(settings.listen.host) && settings.password === undefined) {
      throw new Error(`a Redis listening on ${settings.listen.host} needs a password`);
    }
    // With a password, protected mode has nothing left to protect against; without one it keeps
    // a loopback-only server loopback-only.
    lines.push(`protected-mode ${settings.password === undefined ? 'yes' : 'no'}`);
  }
  if (settings.password !== undefined) lines.push(`requirepass ${quote(settings.password)}`);
  return `${lines.join('\n')}\n`;
}

function quote(value: string): string {
  if (/["\\\n]/.test(value)) throw new Error(`cannot put ${JSON.stringify(value)} in a redis.conf`);
  return `"${value}"`;
}

export type ParsedRedisUrl = { ok: true; endpoint: RedisEndpoint } | { ok: false; message: string };

/**
 * `redis://host[:port][/db]`, `rediss://...` (TLS) or `unix:///path/to/redis.sock`. A password in the
 * URL is refused: a command line is visible to every user of the machine (`ps`).
 */
export function parseRedisUrl(raw: string): ParsedRedisUrl {
  const accepts = 'accepts redis://host:port[/db], rediss://host:port[/db] or unix:///path/to/redis.sock';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: `${accepts} (got "${raw}")` };
  }
  if (url.password !== '') {
    return {
      ok: false,
      message: 'must not contain a password (the command line is visible in ps): set REDIS_PASSWORD or use --redis-password-file FILE',
    };
  }
  if (url.protocol === 'unix:') {
    if (url.host !== '' || !url.pathname.startsWith('/') || url.pathname === '/') return { ok: false, message: `${accepts} (got "${raw}")` };
    return { ok: true, endpoint: { kind: 'unix', path: decodeURIComponent(url.pathname) } };
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return { ok: false, message: `${accepts} (got "${raw}")` };
  if (url.hostname === '') return { ok: false, message: `${accepts}: the host is missing (got "${raw}")` };
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : /^\d{1,2}$/.test(dbText) ? Number(dbText) : Number.NaN;
  if (!Number.isInteger(db)) return { ok: false, message: `the database after the host must be a number (got "${dbText}")` };
  if (url.search !== '' || url.hash !== '') return { ok: false, message: `${accepts}; query and fragment are not supported (got "${raw}")` };
  return {
    ok: true,
    endpoint: {
      kind: 'tcp',
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port,
      tls: url.protocol === 'rediss:',
      db,
      ...(url.username !== '' ? { username: decodeURIComponent(url.username) } : {}),
    },
  };
}

/** The endpoint as a URL, never with a password: what a worker on another host is told. */
export function formatRedisUrl(endpoint: RedisEndpoint): string {
  if (endpoint.kind === 'unix') return `unix://${endpoint.path}`;
  const host = net.isIPv6(endpoint.host) ? `[${endpoint.host}]` : endpoint.host;
  const user = endpoint.username !== undefined ? `${encodeURIComponent(endpoint.username)}@` : '';
  return `${endpoint.tls ? 'rediss' : 'redis'}://${user}${host}:${endpoint.port}${endpoint.db === 0 ? '' : `/${endpoint.db}`}`;
}
