// One colour per scenario and per transport, the same in every chart, so a reader who learned that
// cluster is orange on one chart can find it on the next. Where a scenario and a transport share a
// name (node-ipc, buffer-zlib, chunked) they share the colour: it is the same mechanism. The order
// of the ids is the registries' (scenarios/index.ts, src/transports/registry.ts), not kept here.

/** The sweep's reference: a Unix socket, a length prefix, read in place (drawn thick and dashed). */
export const REFERENCE_TRANSPORT = 'raw-socket';

const COLOURS: Record<string, string> = {
  'single-thread': '#d62728',
  cluster: '#ff7f0e',
  'fork-send': '#2ca02c',
  'fork-json': '#2ca02c',
  'fork-advanced': '#8c564b',
  'node-ipc': '#1f77b4',
  'naive-socket': '#e377c2',
  'buffer-zlib': '#9467bd',
  chunked: '#17becf',
  'worker-transfer': '#bcbd22',
  'raw-socket': '#222222',
};

// Ids added later (worker-pool, queue, ...) still get a stable colour: picked from the name, not
// from their position, so adding one id never recolours another.
const SPARE = ['#7f7f7f', '#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173'];

export function colourOf(id: string): string {
  const known = COLOURS[id];
  if (known) return known;
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return SPARE[hash % SPARE.length] ?? '#7f7f7f';
}

/** `#rrggbb` with an alpha, for the lighter "baseline" variant of a colour. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
