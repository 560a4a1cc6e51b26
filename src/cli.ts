#!/usr/bin/env node
// The command line. The only place that sets exit codes: 0 done, 2 bad input (one line naming the
// option), 1 anything else that failed.
import yargs, { type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { benchCommand } from './commands/bench.js';
import { faultsCommand } from './commands/faults.js';
import { scenarioCommand } from './commands/scenario.js';
import { reportCommand } from './commands/report.js';
import { sweepCommand } from './commands/sweep.js';
import { signalExitCode } from './commands/signals.js';
import { workshopCommand } from './commands/workshop.js';
import { workerCommand } from './commands/worker.js';
import { InterruptedError, UsageError } from './commands/usage.js';
import { errorMessage } from './format/error.js';

// Each command lives in src/commands/<name>.ts; register it here with one line.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const commands: CommandModule<any, any>[] = [scenarioCommand, sweepCommand, faultsCommand, reportCommand, benchCommand, workshopCommand, workerCommand];

function exitWith(code: number, message: string): never {
  process.stderr.write(`${message.split('\n')[0]}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  const cli = yargs(hideBin(process.argv))
    .scriptName('ipc-lab')
    .strict()
    .demandCommand(1, 'name a command: scenario, sweep, faults, report, bench, workshop or worker')
    .help()
    .version(false)
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((message: string | undefined, error: Error | undefined) => {
      // yargs' own parse errors (YError: a missing value, an unknown option) are usage errors too.
      if (error && !(error instanceof UsageError) && error.name !== 'YError') throw error;
      exitWith(2, `ipc-lab: ${error?.message ?? message ?? 'bad arguments'} (see --help)`);
    });
  for (const command of commands) cli.command(command);
  try {
    await cli.parseAsync();
  } catch (error: unknown) {
    if (error instanceof UsageError) exitWith(2, `ipc-lab: ${error.message}`);
    if (error instanceof InterruptedError) {
      if (error.alreadySaid) process.exit(signalExitCode(error.signal));
      exitWith(signalExitCode(error.signal), `ipc-lab: ${error.message}`);
    }
    exitWith(1, `ipc-lab: ${errorMessage(error)}`);
  }
}

await main();
