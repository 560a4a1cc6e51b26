#!/bin/sh
# `npm test`'s checks: typecheck and lint side by side (each keeps one core busy for about 8 s; one
# after the other they took twice that). Fails if either fails; both always run to the end, so one
# run shows every error. POSIX sh, no dependency: CI runs `npm test` as README.md gives it.
npm run -s typecheck &
typecheck_pid=$!
npm run -s lint
lint_code=$?
wait "$typecheck_pid"
typecheck_code=$?
[ "$typecheck_code" -eq 0 ] || echo "typecheck failed (exit code $typecheck_code)" >&2
[ "$lint_code" -eq 0 ] || echo "lint failed (exit code $lint_code)" >&2
[ "$typecheck_code" -eq 0 ] && [ "$lint_code" -eq 0 ]
