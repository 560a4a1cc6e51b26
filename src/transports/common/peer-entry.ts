/**
 * How peer-main.ts starts a transport's peer side: with the arguments its parent side passed after
 * the transport id (forked peers: argv; worker-transfer: the worker's argv).
 */
export type PeerEntry = (args: readonly string[]) => void;

/** The arguments a peer needs, by name, or an error naming the first one missing. */
export function peerArgs<const Names extends readonly string[]>(
  transportId: string,
  args: readonly string[],
  names: Names,
): { [K in keyof Names]: string } {
  return names.map((name, index) => {
    const value = args[index];
    if (value === undefined) throw new Error(`${transportId} peer: missing argument ${index + 1} (${name})`);
    return value;
  }) as { [K in keyof Names]: string };
}
