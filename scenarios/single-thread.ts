import { defineScenario } from '../src/scenario/define.js';

export default defineScenario({
  id: 'single-thread',
  title: 'Naive single thread: the import runs inside the HTTP process',
  talkIteration: 1,
  story:
    'The import job runs on the same thread that answers HTTP requests. While it diffs the data set, ' +
    'every light request waits: the GUI freezes for as long as the import takes.',
  serve: async ({ config }) => (await import('../src/server/inline.js')).serveInline(config),
});
