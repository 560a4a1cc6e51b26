// The folder dependency order of docs/design.md ("Which folder may import which"), checked on the
// source: every relative import (static, type-only or dynamic) must go to a lower layer, so no
// folder imports one that imports it back.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/paths.js';

/** Higher imports lower; equal ranks may not import each other. */
const RANK: Record<string, number> = {
  'src/format': 0,
  'src/paths.ts': 0,
  'src/workload': 1,
  'src/results': 2,
  'src/transports': 3,
  'src/load': 3,
  'src/server': 4,
  'src/scenario': 5,
  'src/sweep': 5,
  'src/faults': 6,
  scenarios: 6,
  'src/charts': 7,
  'src/report': 7,
  'src/web': 8,
  'src/commands': 9,
  'src/cli.ts': 10,
  'src/serve-scenario.ts': 10,
};

/** The folder (or top-level file) of src/ or scenarios/ a project path belongs to. */
function unitOf(relative: string): string {
  const [top, second] = relative.split('/');
  if (top === 'scenarios') return 'scenarios';
  return second !== undefined && !second.includes('.') ? `src/${second}` : relative;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(projectRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

const IMPORT = /(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g;

function edges(): { from: string; to: string; file: string }[] {
  return [...sourceFiles('src'), ...sourceFiles('scenarios')].flatMap((file) => {
    const text = readFileSync(path.join(projectRoot, file), 'utf8');
    return [...text.matchAll(IMPORT)].map((match) => {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1]!));
      return { from: unitOf(file), to: unitOf(target.replace(/\.js$/, '.ts')), file };
    });
  });
}

describe('layers', () => {
  it('every folder of src/ and scenarios/ has a rank', () => {
    const units = new Set([...sourceFiles('src'), ...sourceFiles('scenarios')].map(unitOf));
    expect([...units].filter((unit) => RANK[unit] === undefined)).toEqual([]);
  });

  it('every import goes to a lower layer: no cycles between folders, nothing runs back up', () => {
    const upward = edges()
      .filter((e) => e.from !== e.to && !(RANK[e.from]! > RANK[e.to]!))
      .map((e) => `${e.file} imports ${e.to}`);
    expect(upward).toEqual([]);
  });

  it('the scenario registry loads metadata only: scenarios/ imports server code only when serving', () => {
    const eager = [...sourceFiles('scenarios')].flatMap((file) => {
      const text = readFileSync(path.join(projectRoot, file), 'utf8');
      return [...text.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!).filter((spec) => spec.includes('/src/') && !spec.endsWith('/src/scenario/define.js'));
    });
    expect(eager).toEqual([]);
    const define = readFileSync(path.join(projectRoot, 'src/scenario/define.ts'), 'utf8');
    expect(define.match(/^import (?!type )/gm)).toBeNull();
  });
});
