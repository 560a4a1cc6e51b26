#!/usr/bin/env node
// The command line. The only place that sets exit codes: 0 done, 2 bad input (one line naming the
// option), 1 anything else that failed.
import yargs, { type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { signalExitCode } from './commands/signals.js';
import { checkFlagValues, InterruptedError, UsageError } from './commands/usage.js';
import { errorMessage } from './format/error.js';

// Each command lives in src/commands/<name>.ts; register it here with one line. Loaded on demand:
// every command's modules (autocannon, BullMQ, Chart.js, ...) took about half a second to load, so a
// run loads only the command it names (all of them for --help or a name that is none of these).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const commands: Record<string, () => Promise<CommandModule<any, any>>> = {
  scenario: async () => (await import('./commands/scenario.js')).scenarioCommand,
  sweep: async () => (await import('./commands/sweep.js')).sweepCommand,
  faults: async () => (await import('./commands/faults.js')).faultsCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
  bench: async () => (await import('./commands/bench.js')).benchCommand,
  workshop: async () => (await import('./commands/workshop.js')).workshopCommand,
  worker: async () => (await import('./commands/worker.js')).workerCommand,
};

/** The command the arguments name (their first word), or every command when they name none. */
function commandsToLoad(args: string[]): (typeof commands)[string][] {
  // Own keys only: `constructor` or `toString` is an unknown command, not Object's.
  const named = args[0] !== undefined && Object.hasOwn(commands, args[0]) ? commands[args[0]] : undefined;
  return named ? [named] : Object.values(commands);
}

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
  // Before any command's handler: a flag's value that is neither true nor false is bad input.
  // (`cli` holds the command's options by then: its builder ran on this same instance. getOptions
  // is yargs' own, missing from its types.)
  const flags = (): string[] => (cli as unknown as { getOptions(): { boolean: string[] } }).getOptions().boolean;
  cli.middleware((): void => checkFlagValues(hideBin(process.argv), flags()));
  for (const load of commandsToLoad(hideBin(process.argv))) cli.command(await load());
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
