import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// This file runs both as src/paths.ts (vitest) and as dist/src/paths.js (compiled): find the
// project root by walking up to package.json, so both resolve the same compiled entry points.
function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

/**
 * Path of a compiled entry point, given its path under src/ with a .js ending
 * (e.g. `serve-scenario.js`). Measured processes always run this compiled JavaScript on plain node,
 * even when the caller is TypeScript under vitest, so fork and start-up costs are real.
 */
export function compiledEntry(relativeToSrc: string): string {
  const entry = path.join(projectRoot, 'dist', 'src', relativeToSrc);
  if (!existsSync(entry)) {
    throw new Error(`compiled entry ${entry} is missing: run \`npm run build\` first`);
  }
  return entry;
}
