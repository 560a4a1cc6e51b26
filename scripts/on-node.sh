#!/usr/bin/env bash
# Runs an ipc-lab command on another Node major, with the npm registry's node@<major> (installed once
# into the git-ignored .cache/node/<major>/ by node-cache.sh):
#   scripts/on-node.sh 24 sweep --quick
#   scripts/on-node.sh 22 scenario fork-send --duration 5
# That node runs dist/src/cli.js, and everything it starts: fork(), cluster and worker threads use
# process.execPath, and `node` on PATH is that node too.
set -euo pipefail

SUPPORTED_MAJORS="20 22 24"
usage="usage: scripts/on-node.sh <${SUPPORTED_MAJORS// /|}> <command> [args...]"
major="${1-}"
if [[ ! "$major" =~ ^(${SUPPORTED_MAJORS// /|})$ ]]; then
  echo "on-node.sh: <major> must be one of ${SUPPORTED_MAJORS// /, } (got \"$major\"); $usage" >&2
  exit 2
fi
if [[ $# -lt 2 ]]; then
  echo "on-node.sh: missing <command>: an ipc-lab command (scenario, sweep, report, bench, ...); $usage" >&2
  exit 2
fi
shift

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ ! -d "$root/node_modules" ]]; then
  echo "on-node.sh: run \`npm ci\` in $root first" >&2
  exit 1
fi
bin="$("$root/scripts/node-cache.sh" "$major")"
# Compile what changed, as every `npm run <command>` does (with the system's node: the output is the same).
(cd "$root" && npm run -s build)
export PATH="$bin:$PATH"
# A sweep keeps the memory it frees, as `npm run sweep` starts it (src/sweep/malloc.ts says why).
if [[ "${1-}" == sweep ]]; then export GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4294967296; fi
exec "$bin/node" "$root/dist/src/cli.js" "$@"
