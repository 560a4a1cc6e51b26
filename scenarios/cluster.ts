import { defineScenario } from '../src/scenario/define.js';
import { serveClusterPrimary } from '../src/server/cluster-primary.js';
import { serveClusterWorker } from '../src/server/cluster-worker.js';

export default defineScenario({
  id: 'cluster',
  title: 'cluster: one HTTP worker per core, the import runs in whichever worker got it',
  talkIteration: 2,
  story:
    'A primary forks W HTTP workers ("about 20 lines") and hands out connections round-robin. The import ' +
    'runs inline in the worker that received it. Nothing stops the next light request from landing on ' +
    'that busy worker: a keep-alive connection stays with its worker.',
  serve: serveClusterPrimary,
  serveWorker: serveClusterWorker,
});
