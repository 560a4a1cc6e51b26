import { defineScenario } from '../src/scenario/define.js';
import { runInline } from '../src/server/inline.js';
import { serveApp } from '../src/server/serve.js';

export default defineScenario({
  id: 'single-thread',
  title: 'Naive single thread: the import runs inside the HTTP process',
  talkIteration: 1,
  story:
    'The import job runs on the same thread that answers HTTP requests. While it diffs the data set, ' +
    'every light request waits: the GUI freezes for as long as the import takes.',
  serve: ({ config }) => serveApp(config, runInline),
});
