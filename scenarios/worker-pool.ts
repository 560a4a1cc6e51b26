import { defineScenario } from '../src/scenario/define.js';

export default defineScenario({
  id: 'worker-pool',
  title: 'A piscina pool of worker threads in the HTTP process (what Node offers today)',
  talkIteration: null,
  transport: 'worker-pool',
  story:
    'Beyond the talk: the talk ended in 2017 with a home-made chunked protocol between processes; what a Node ' +
    'developer reaches for today is a pool of worker_threads, most often piscina. The HTTP process starts the pool ' +
    'with the server and hands each import to it (the records by structured clone, or with --handoff bytes as JSON ' +
    'in an ArrayBuffer that moves instead of being copied); imports beyond the pool\'s size wait in its bounded queue.',
  serve: async ({ config }) => (await import('../src/server/offload.js')).serveOffloaded(config, 'worker-pool'),
});
