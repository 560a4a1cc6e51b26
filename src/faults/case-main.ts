import { errorMessage } from '../format/error.js';
import { runCase, type CaseReport, type CaseSpec } from './case.js';

// The caller process of one fault case, forked by run.ts (argv: the CaseSpec as JSON): a fresh
// process per case, so a fault that kills or poisons the caller is seen as such and cannot touch the
// next case. Reports over the IPC channel, then exits; a runner that goes away takes it along (its
// peers are killed by the transports' exit cleanup).

export type CaseMessage = { type: 'report'; report: CaseReport } | { type: 'failed'; message: string };

process.on('disconnect', () => process.exit(1));

const send = (message: CaseMessage): Promise<void> => new Promise((resolve) => process.send?.(message, () => resolve()) ?? resolve());

try {
  const spec = JSON.parse(process.argv[2] ?? '') as CaseSpec;
  await send({ type: 'report', report: await runCase(spec) });
} catch (error) {
  await send({ type: 'failed', message: errorMessage(error) });
}
process.exit(0);
