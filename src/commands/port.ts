import net from 'node:net';
import { UsageError } from './usage.js';

/**
 * Fails with a usage error, before anything is started, when host:port cannot be bound: a port in
 * use, or a --host that is not an address of this machine.
 */
export function assertPortFree(host: string, port: number): Promise<void> {
  if (net.isIP(host) === 0) {
    return Promise.reject(new UsageError(`--host must be an IP address of this machine, such as 127.0.0.1 or ::1 (got "${host}")`));
  }
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new UsageError(`--port ${port} is already in use on ${host}; choose another port or 0 for any free one`));
      } else if (port === 0 || error.code === 'EADDRNOTAVAIL') {
        reject(new UsageError(`--host ${host} cannot be bound here (${error.code ?? error.message}); use an address of this machine such as 127.0.0.1`));
      } else {
        reject(new UsageError(`--port ${port} cannot be bound on ${host} (${error.code ?? error.message})`));
      }
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
