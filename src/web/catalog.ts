// What the page needs to know to offer runs: the scenarios in the talk's order with their stories,
// the options each command takes (defaults and help as on the command line), the colours the PNG
// charts use. Served as JSON; the page builds its forms from it.
import { scenarios } from '../../scenarios/index.js';
import { colourOf } from '../charts/palette.js';
import { RECENT_WINDOW_MS } from '../server/recent-delay.js';

export interface OptionSpec {
  /** The command-line option name, without dashes. */
  name: string;
  kind: 'number' | 'text' | 'boolean';
  /** As the command line shows it; '' when the command computes it. */
  default: string;
  describe: string;
  /** What the page's form starts with, when not the command's default (the page's sweep is --quick). */
  pageDefault?: string;
  /** Offered only for these scenario ids (all when absent). */
  only?: string[];
}

export interface Catalog {
  /** workshop: the page starts runs; live: it shows one command-line run. */
  mode: 'workshop' | 'live';
  /** talkIteration: null for a scenario beyond the talk. */
  scenarios: { id: string; title: string; talkIteration: number | null; story: string; transport: string | null; colour: string }[];
  scenarioOptions: OptionSpec[];
  sweep: { transports: { id: string; colour: string }[]; options: OptionSpec[] };
  /** The window of the serving processes' live event-loop delay figure. */
  loopDelayWindowMs: number;
}

export function buildCatalog(
  mode: Catalog['mode'],
  scenarioOptions: OptionSpec[],
  sweepOptions: OptionSpec[],
  transportIds: readonly string[],
): Catalog {
  return {
    mode,
    scenarios: scenarios.map((s) => ({
      id: s.id,
      title: s.title,
      talkIteration: s.talkIteration,
      story: s.story,
      transport: s.transport ?? null,
      colour: colourOf(s.id),
    })),
    scenarioOptions,
    sweep: { transports: transportIds.map((id) => ({ id, colour: colourOf(id) })), options: sweepOptions },
    loopDelayWindowMs: RECENT_WINDOW_MS,
  };
}
