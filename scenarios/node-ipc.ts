import { defineScenario } from '../src/scenario/define.js';

export default defineScenario({
  id: 'node-ipc',
  title: 'node-ipc: a socket server in the HTTP process, the forked child connects as client',
  talkIteration: 4,
  transport: 'node-ipc',
  story:
    'The HTTP process runs a node-ipc server; a child forked per import connects, says it is ready, gets ' +
    'the data ("operation start"), works, and emits the result back; then the server stops and the child ' +
    'exits. It worked for the business-partner import.',
  serve: async ({ config }) => (await import('../src/server/offload.js')).serveOffloaded(config, 'node-ipc'),
});
