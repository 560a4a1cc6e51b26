// The talk's claims (docs/talk.md, "The claims the report tests"), each with the function that
// judges it from the numbers and the rule it applies, printed under the table in REPORT.md.
import { clusterClaim, forkClaim } from './claims-scenario.js';
import { linuxLimitClaim, sendLimitClaim, slowdownClaim } from './claims-sweep.js';
import { chunkedClaim, nodeIpcClaim, zlibClaim } from './claims-transport.js';
import type { ClaimData, ClaimVerdict } from './verdict.js';

export interface Claim {
  claim: string;
  measured: string;
  rule: string;
  judge: (data: ClaimData) => ClaimVerdict;
}

export const CLAIMS: readonly Claim[] = [
  {
    claim: '`process.send` has a limit of about 8-20 KB',
    measured: 'largest payload that fork+send delivers intact, and how it fails beyond',
    rule: 'sweep `fork-json`: holds if it first fails at <= 32 KiB; does not hold if it delivers >= 1 MiB intact, or more than 32 KiB with no failure; partly if it fails between 32 KiB and 1 MiB',
    judge: (d) => sendLimitClaim(d.sweep),
  },
  {
    claim: 'Linux has a 64 KB message size limit',
    measured: 'chunk sizes a socket reader sees; where an unframed receiver breaks',
    rule: 'sweep `naive-socket` (treats each read as a message): holds if it is intact up to <= 64 KiB and breaks at the next size above 64 KiB; does not hold if intact at >= 1 MiB or above 64 KiB with no failure; partly if it breaks elsewhere',
    judge: (d) => linuxLimitClaim(d.sweep),
  },
  {
    claim: 'child IPC is 100-10,000x slower than it should be, growing with size',
    measured: 'fork+send throughput against a raw Unix socket, by size',
    rule: 'raw-socket MB/s ÷ fork-json MB/s at each size both deliver, from the warm medians (the cold first exchange\'s ratio is shown beside each, not judged): holds if the largest ratio is >= 100 and the ratio at the largest common size exceeds the one at the smallest; does not hold if every ratio is < 10; partly otherwise',
    judge: (d) => slowdownClaim(d.sweep),
  },
  {
    claim: 'cluster does not keep the GUI responsive',
    measured: 'share of light requests stalled behind an import, cluster vs single thread',
    rule: 'cluster scenario, light requests during imports that were slower than 100 ms or failed: holds if > 5% (frozen); partly if 1-5%; does not hold if <= 1% (responsive); single thread shown for comparison',
    judge: clusterClaim,
  },
  {
    claim: 'fork per job keeps the GUI responsive',
    measured: 'light-request latency during imports',
    rule: 'fork-send scenario, same share: holds if <= 1%; partly if 1-5%, or if no import succeeded; does not hold if > 5%',
    judge: forkClaim,
  },
  {
    claim: 'node-ipc works for the data set',
    measured: 'node-ipc round trip by size, and where it stops being usable',
    rule: 'two checks, each counted only when measured: sweep `node-ipc` delivers >= 10 MB (the data set) intact, and every import of the node-ipc scenario succeeded; holds if all measured checks pass, does not hold if all fail, partly if they disagree',
    judge: nodeIpcClaim,
  },
  {
    claim: 'buffers + zlib make it fit',
    measured: 'bytes on the wire and time, with and without compression',
    rule: 'same two checks for `buffer-zlib`; a pass becomes partly if zlib did not reduce the bytes sent per import compared with an uncompressed scenario (node-ipc, else chunked, else fork-send)',
    judge: zlibClaim,
  },
  {
    claim: 'a size-first chunked protocol works at any size',
    measured: 'integrity and throughput up to the largest size the machine allows',
    rule: 'sweep `chunked`: holds if it never fails and reaches >= 10 MB, or fails only where raw-socket (the machine\'s limit) failed too; does not hold if it fails at <= 10 MB where raw-socket delivered; partly otherwise, or if an import of the chunked scenario failed',
    judge: chunkedClaim,
  },
];
