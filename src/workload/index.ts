export * from './types.js';
export * from './cost.js';
export { generateStations, generateStation } from './stations.js';
export { makeIncoming, plannedCounts } from './incoming.js';
export { diffStations } from './diff.js';
export { createRandom } from './random.js';
