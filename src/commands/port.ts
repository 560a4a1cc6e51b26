import net from 'node:net';
import { UsageError } from './usage.js';

/** Fails with a usage error, before anything is started, when host:port cannot be bound. */
export function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${error.code ?? error.message})`;
      reject(new UsageError(`--port ${port} ${why} on ${host}; choose another port or 0 for any free one`));
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
