import { createRandom, pick, randomInt } from './random.js';
import type { Station } from './types.js';

// Name parts include non-ASCII letters on purpose: the data crosses every transport, and a
// transport that gets UTF-8 wrong must fail the integrity check.
const PREFIXES = ['Wien', 'Graz', 'Linz', 'Mödling', 'Wörgl', 'Gänserndorf', 'Bruck', 'Sankt Pölten', 'Villach', 'Gmünd'];
const PARTS = ['Hauptbahnhof', 'Nord', 'Süd', 'West', 'Ost', 'Straße', 'Brücke', 'Markt', 'Hafen', 'Flughafen'];
const OPERATORS = ['ÖBB', 'GKB', 'WESTbahn', 'Raaberbahn', 'StB', 'Montafonerbahn'];

function isoDate(random: () => number, fromYear: number, toYear: number): string {
  const year = randomInt(random, fromYear, toYear);
  const month = randomInt(random, 1, 12);
  const day = randomInt(random, 1, 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function round5(value: number): number {
  return Math.round(value * 1e5) / 1e5;
}

export function generateStation(id: number, random: () => number): Station {
  return {
    id,
    code: `A${id.toString(36).toUpperCase().padStart(5, '0')}`,
    name: `${pick(random, PREFIXES)} ${pick(random, PARTS)} ${randomInt(random, 1, 99)}`,
    lat: round5(46.4 + random() * 2.6),
    lon: round5(9.5 + random() * 7.6),
    operator: pick(random, OPERATORS),
    platforms: randomInt(random, 1, 12),
    validFrom: isoDate(random, 1990, 2016),
    validTo: random() < 0.1 ? isoDate(random, 2017, 2030) : null,
  };
}

/** The "database": `count` stations with ids 1..count, fully determined by the seed. */
export function generateStations(count: number, seed: number): Station[] {
  const random = createRandom(seed);
  const stations = new Array<Station>(count);
  for (let i = 0; i < count; i++) stations[i] = generateStation(i + 1, random);
  return stations;
}
