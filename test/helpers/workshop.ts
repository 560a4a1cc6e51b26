import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { cliPath } from './cli.js';

export interface RunningWorkshop {
  child: ChildProcess;
  /** e.g. http://127.0.0.1:40123/ */
  base: string;
  token: string;
  urlWithToken: string;
  output: () => { stdout: string; stderr: string };
  /** SIGINT (Ctrl-C) and wait for the exit; SIGKILL after timeoutMs. */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a compiled CLI command that prints a URL with a token (workshop, scenario --live) and waits for it. */
export function startUrlCommand(args: string[], { env, urlTimeoutMs = 20_000 }: { env?: NodeJS.ProcessEnv; urlTimeoutMs?: number } = {}): Promise<RunningWorkshop> {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no URL within ${urlTimeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, urlTimeoutMs);
    const look = (): void => {
      const match = /(http:\/\/[^\s]+\/)\?token=([\w-]+)/.exec(stdout + stderr);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        child,
        base: match[1] as string,
        token: match[2] as string,
        urlWithToken: match[0],
        output: () => ({ stdout, stderr }),
        stop: async (timeoutMs = 30_000) => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
          const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
          const result = await exited;
          clearTimeout(killer);
          return result;
        },
      });
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      look();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      look();
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`exited (${signal ?? code}) before printing a URL; stdout: ${stdout}; stderr: ${stderr}`));
    });
  });
}

export interface HttpReply {
  status: number;
  body: string;
  json: () => unknown;
}

/** One request with exactly the headers given (Host and Origin included), as an attacker's page or curl would send. */
export function request(base: string, path: string, { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, json: () => JSON.parse(text) as unknown }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Reads the SSE stream until `until` says so (or the timeout passes); returns every event seen. */
export function collectEvents(base: string, until: (events: { type: string; [key: string]: unknown }[]) => boolean, timeoutMs = 60_000): Promise<{ type: string; [key: string]: unknown }[]> {
  return new Promise((resolve, reject) => {
    const events: { type: string; [key: string]: unknown }[] = [];
    const req = http.get(new URL('/api/events', base), { agent: false }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = message.split('\n').find((line) => line.startsWith('data: '));
          if (data) events.push(...(JSON.parse(data.slice(6)) as { type: string }[]));
        }
        if (until(events)) finish();
      });
    });
    const timer = setTimeout(() => finish(), timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      req.destroy();
      resolve(events);
    };
    req.on('error', (error) => (events.length > 0 ? resolve(events) : reject(error)));
  });
}
