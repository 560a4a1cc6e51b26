import { describe, expect, it } from 'vitest';
import { checkFlagValues, UsageError } from '../../src/commands/usage.js';

describe('checkFlagValues', () => {
  const flags = ['pin-cpus', 'json'];

  it('takes a flag alone, negated, or with true or false', () => {
    expect(() => checkFlagValues(['sweep', '--pin-cpus', '--no-json', '--json=true', '--pin-cpus=false', '--sizes=1KiB'], flags)).not.toThrow();
  });

  it.each([
    ['--pin-cpus=maybe', '--pin-cpus is a flag: give it alone, as --no-pin-cpus, or as --pin-cpus=true or false (got "maybe")'],
    ['--json=1', '--json is a flag: give it alone, as --no-json, or as --json=true or false (got "1")'],
    ['--json=', '--json is a flag: give it alone, as --no-json, or as --json=true or false (got "")'],
    // yargs takes the camelCase spelling as the same flag.
    ['--pinCpus=maybe', '--pin-cpus is a flag: give it alone, as --no-pin-cpus, or as --pin-cpus=true or false (got "maybe")'],
  ])('refuses %s with one line naming the flag', (token, message) => {
    expect(() => checkFlagValues(['sweep', token], flags)).toThrow(new UsageError(message));
  });

  it('leaves options that are not flags, and anything after --, to their own checks', () => {
    expect(() => checkFlagValues(['--sizes=maybe', '--', '--json=maybe'], flags)).not.toThrow();
  });
});
