import { defineScenario } from '../src/scenario/define.js';

export default defineScenario({
  id: 'fork-send',
  title: 'child_process.fork + process.send: a child per import, JSON over the IPC channel',
  talkIteration: 3,
  transport: 'fork-json',
  story:
    'The server forks a child per job and sends it the data with process.send; the child diffs and sends ' +
    'the result back the same way. It worked for the export (a few lines) and failed for the import, whose ' +
    'result is the whole diff. The talk blamed an "8-20k limit" and slow serialization.',
  serve: async ({ config }) => (await import('../src/server/offload.js')).serveOffloaded(config, 'fork-json'),
});
