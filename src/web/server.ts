// The workshop's HTTP server: the page and its scripts, Chart.js from the installed package, the
// catalog and state as JSON, the event stream, and two commands (start, stop) that need the token.
// Plain node:http: a dozen routes do not earn a framework.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from '../format/error.js';
import type { Catalog } from './catalog.js';
import type { EventHub } from './event-hub.js';
import { allowedHosts, checkRequestSource, hostWithPort, TOKEN_HEADER, tokenMatches } from './security.js';
import type { SessionState, StartReply } from './session.js';
import { staticFiles, type StaticFile } from './static-files.js';

const MAX_BODY_BYTES = 64 * 1024;

/** What the server asks of whoever runs things: the workshop's session, or one command-line run. */
export interface WorkshopController {
  catalog: Catalog;
  hub: EventHub;
  state(): SessionState;
  /** `body` is the parsed JSON of POST /api/runs. */
  start(body: unknown): StartReply;
  /** false when nothing runs. */
  stop(): boolean;
}

export interface WorkshopServer {
  url: string;
  /** The URL to print: with the token, so whoever opens it may start and stop runs. */
  urlWithToken: string;
  port: number;
  close(): Promise<void>;
}

// The page loads only its own files; the token in the URL never travels in a Referer.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

function send(res: http.ServerResponse, status: number, body: string | Buffer, contentType: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

class BadBody extends Error {}

function readJsonBody(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      req.resume();
      return reject(new BadBody('send the request body as application/json'));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BadBody(`request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text === '' ? {} : JSON.parse(text));
      } catch {
        reject(new BadBody('request body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}

export async function startWorkshopServer(
  controller: WorkshopController,
  { host, port, token }: { host: string; port: number; token: string },
): Promise<WorkshopServer> {
  const files = await staticFiles();
  let allowed = new Set<string>();

  const serveFile = async (res: http.ServerResponse, file: StaticFile): Promise<void> => {
    send(res, 200, await readFile(file.path), file.contentType);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const refusal = checkRequestSource({ host: req.headers.host, origin: req.headers.origin }, allowed);
    if (refusal) return sendJson(res, refusal.status, { error: refusal.message });
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://workshop.invalid');
    } catch {
      return sendJson(res, 400, { error: 'malformed request target' });
    }
    const method = req.method ?? 'GET';
    const file = files.get(url.pathname);
    if (file) {
      if (method !== 'GET' && method !== 'HEAD') return sendJson(res, 405, { error: `use GET ${url.pathname}` });
      return serveFile(res, file);
    }
    switch (url.pathname) {
      case '/api/catalog':
        if (method !== 'GET') return sendJson(res, 405, { error: 'use GET /api/catalog' });
        return sendJson(res, 200, controller.catalog);
      case '/api/state':
        if (method !== 'GET') return sendJson(res, 405, { error: 'use GET /api/state' });
        return sendJson(res, 200, controller.state());
      case '/api/events':
        if (method !== 'GET') return sendJson(res, 405, { error: 'use GET /api/events' });
        return controller.hub.subscribe(req, res);
      case '/api/runs':
      case '/api/stop': {
        if (method !== 'POST') return sendJson(res, 405, { error: `use POST ${url.pathname}` });
        const presented = req.headers[TOKEN_HEADER];
        if (!tokenMatches(typeof presented === 'string' ? presented : undefined, token)) {
          req.resume();
          return sendJson(res, 403, { error: `missing or wrong ${TOKEN_HEADER}: open the URL the workshop printed (it carries the token)` });
        }
        if (url.pathname === '/api/stop') {
          req.resume();
          return controller.stop() ? sendJson(res, 202, { stopping: true }) : sendJson(res, 409, { error: 'no run in progress' });
        }
        let body: unknown;
        try {
          body = await readJsonBody(req);
        } catch (error: unknown) {
          return sendJson(res, 400, { error: errorMessage(error) });
        }
        const reply = controller.start(body);
        return reply.ok ? sendJson(res, 202, { run: reply.run }) : sendJson(res, reply.status, { error: reply.message });
      }
      default:
        return sendJson(res, 404, { error: `no route ${method} ${url.pathname}` });
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: errorMessage(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  allowed = allowedHosts(host, bound);
  const url = `http://${hostWithPort(host, bound)}/`;
  return {
    url,
    urlWithToken: `${url}?token=${token}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        controller.hub.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
