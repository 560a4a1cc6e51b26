import { defineScenario } from '../src/scenario/define.js';

export default defineScenario({
  id: 'queue',
  title: 'BullMQ job queue on Redis: the server enqueues, worker processes on any host take the imports',
  talkIteration: null,
  transport: 'queue',
  story:
    'The answer the talk set aside ("why not a message queue?": a new server component the firewall would ' +
    'not allow). The HTTP process puts each import into a BullMQ queue on Redis and waits for its completion ' +
    'event; worker processes, here or on other hosts, take jobs as they have CPU, hold a lock on each while ' +
    'it runs, and a job whose worker dies goes back to the queue when its lock expires.',
  // The bench also measures the scale figure: imports per minute with 1 and 2 local workers.
  benchArgs: (quick) => ['--scale', ...(quick ? ['--scale-imports', '2'] : [])],
  serve: async ({ config, emit }) => (await import('../src/server/queue-offload.js')).serveQueued(config, emit),
});
