import { defineScenario } from '../src/scenario/define.js';

export default defineScenario({
  id: 'cluster',
  title: 'cluster: one HTTP worker per core, the import runs in whichever worker got it',
  talkIteration: 2,
  story:
    'A primary forks W HTTP workers ("about 20 lines") and hands out connections round-robin. The import ' +
    'runs inline in the worker that received it. Nothing stops the next light request from landing on ' +
    'that busy worker: a keep-alive connection stays with its worker.',
  serve: async (context) => (await import('../src/server/cluster-primary.js')).serveClusterPrimary(context),
  serveWorker: async (config) => (await import('../src/server/cluster-worker.js')).serveClusterWorker(config),
});
