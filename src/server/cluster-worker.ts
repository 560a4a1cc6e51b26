import type { ServeConfig } from './contract.js';
import { isControlRequest, type ControlReply } from './control.js';
import { runInline } from './inline.js';
import { serveApp } from './serve.js';

/** One cluster worker: a whole HTTP app doing its imports inline, answering its primary's control requests. */
export async function serveClusterWorker(config: ServeConfig): Promise<void> {
  const handle = await serveApp(config, runInline);
  const send = (reply: ControlReply): void => {
    process.send?.(reply);
  };
  process.on('message', (message: unknown) => {
    if (!isControlRequest(message)) return;
    if (message.type === 'reset-metrics') {
      void handle.resetMetrics().then(() => send({ type: 'ack', requestId: message.requestId }));
    } else if (message.type === 'collect-metrics') {
      void handle.collectMetrics().then((metrics) => send({ type: 'metrics', requestId: message.requestId, ...metrics }));
    }
  });
  process.once('SIGTERM', () => {
    void handle.close().finally(() => process.exit(0));
  });
}
