// REPORT.md mixes generated and hand-written text: only the text between the markers is ours to
// rewrite. Anything ambiguous (one marker, two pairs, end before start) is an error, never a guess
// that could delete someone's analysis.
export const START_MARKER = '<!-- ipc-lab:generated:start -->';
export const END_MARKER = '<!-- ipc-lab:generated:end -->';

const NEW_REPORT_HEAD = '# ipc-lab: report\n\n';
const NEW_REPORT_TAIL =
  '\n\n## Analysis\n\nHand-written notes go here, outside the generated markers: `npm run report` keeps them.\n';

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** Put `generated` between the markers of `existing` (or into a new report when there is none). */
export function spliceGenerated(existing: string | null, generated: string): string {
  const block = `${START_MARKER}\n${generated.trim()}\n${END_MARKER}`;
  if (existing === null) return `${NEW_REPORT_HEAD}${block}${NEW_REPORT_TAIL}`;
  const starts = count(existing, START_MARKER);
  const ends = count(existing, END_MARKER);
  if (starts === 0 && ends === 0) return `${existing.trimEnd()}\n\n${block}\n`;
  const start = existing.indexOf(START_MARKER);
  const end = existing.indexOf(END_MARKER);
  if (starts !== 1 || ends !== 1 || end < start) {
    throw new Error(`REPORT.md must hold exactly one ${START_MARKER} ... ${END_MARKER} pair, in that order`);
  }
  return `${existing.slice(0, start)}${block}${existing.slice(end + END_MARKER.length)}`;
}
