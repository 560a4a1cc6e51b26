// Who may talk to the workshop. It binds loopback, but a page on any other site in the same browser
// can still send requests to 127.0.0.1 (and a DNS-rebinding attack can even make them same-origin
// under a foreign name). So: the Host header must name this server, an Origin header (sent by browsers
// with every cross-site and every POST request) must be this server's own, and the endpoints that
// start or stop runs need the random token printed in the URL. Pure: no I/O.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import net from 'node:net';

export const TOKEN_HEADER = 'x-workshop-token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** `host:port` as it appears in a Host header (IPv6 in brackets), lower case. */
export function hostWithPort(host: string, port: number): string {
  return `${net.isIPv6(host) ? `[${host}]` : host}:${port}`.toLowerCase();
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Host header values this server answers to: the bound address, and the loopback names when bound to loopback. */
export function allowedHosts(boundHost: string, port: number): Set<string> {
  const hosts = new Set([hostWithPort(boundHost, port)]);
  if (isLoopback(boundHost)) for (const name of ['localhost', '127.0.0.1', '::1']) hosts.add(hostWithPort(name, port));
  return hosts;
}

/** A Host header or URL host without a port means port 80. */
function withDefaultPort(host: string): string {
  return /:\d+$/.test(host) && !host.endsWith(']') ? host : `${host}:80`;
}

export type Refusal = { status: number; message: string };

/**
 * Checks the Host and Origin headers of a request; null when it may be served. A missing Origin is
 * fine (curl, a browser's own navigation); a present one, including "null", must be this server.
 */
export function checkRequestSource(headers: { host?: string; origin?: string }, allowed: ReadonlySet<string>): Refusal | null {
  const host = headers.host === undefined ? undefined : withDefaultPort(headers.host.toLowerCase());
  if (host === undefined || !allowed.has(host)) {
    return { status: 421, message: `unknown Host "${headers.host ?? ''}": the workshop answers only to ${[...allowed].join(', ')}` };
  }
  if (headers.origin !== undefined) {
    let originHost: string | null = null;
    try {
      const url = new URL(headers.origin);
      if (url.protocol === 'http:') originHost = withDefaultPort(url.host.toLowerCase());
    } catch {
      originHost = null;
    }
    if (originHost === null || !allowed.has(originHost)) {
      return { status: 403, message: `foreign Origin "${headers.origin}": only pages served by the workshop itself may call it` };
    }
  }
  return null;
}

/** Constant-time comparison of the presented token with the server's. */
export function tokenMatches(presented: string | undefined, token: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
