#!/usr/bin/env bash
# Proves a refactoring changed no figure: `agile-kpi demo --format json` at a base commit and in this checkout
# must be byte-identical (the simulator is seeded, so the same code gives the same bytes).
#
#   scripts/demo-unchanged.sh [base-ref]      (default: HEAD~1)
#
# The base is built in a temporary git worktree that shares this checkout's node_modules (no npm ci): every
# package is linked from here except the workspace packages, which point into the worktree. Exit 0 when identical,
# 1 with the first differing JSON paths when not.
set -euo pipefail

root="$(git rev-parse --show-toplevel)"
base="${1:-HEAD~1}"
work="$(mktemp -d "${TMPDIR:-/tmp}/demo-unchanged.XXXXXX")"
cleanup() { git -C "$root" worktree remove --force "$work/tree" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

git -C "$root" worktree add --detach "$work/tree" "$base" >/dev/null
mkdir "$work/tree/node_modules"
for entry in "$root"/node_modules/* "$root"/node_modules/.bin; do
  name="$(basename "$entry")"
  [ "$name" = "@agile-kpi" ] || ln -s "$entry" "$work/tree/node_modules/$name"
done
# The workspace links are relative (../../packages/x): copied, they resolve inside the worktree.
cp -P -r "$root/node_modules/@agile-kpi" "$work/tree/node_modules/"
for pkg in "$root"/packages/*/node_modules; do
  name="$(basename "$(dirname "$pkg")")"
  [ -d "$work/tree/packages/$name" ] && ln -s "$pkg" "$work/tree/packages/$name/node_modules"
done

echo "building $base and this checkout..." >&2
(cd "$work/tree" && npx tsc -b packages/cli)
(cd "$root" && npx tsc -b packages/cli)
(cd "$work/tree" && node packages/cli/bin/agile-kpi.js demo --format json) >"$work/before.json"
(cd "$root" && node packages/cli/bin/agile-kpi.js demo --format json) >"$work/after.json"

if cmp -s "$work/before.json" "$work/after.json"; then
  echo "demo --format json: byte-identical to $base ($(wc -c <"$work/after.json") bytes)"
  exit 0
fi
node -e '
  const [a, b] = process.argv.slice(1).map((f) => JSON.parse(require("fs").readFileSync(f, "utf8")));
  const out = [];
  const walk = (x, y, path) => {
    if (out.length >= 20) return;
    if (JSON.stringify(x) === JSON.stringify(y)) return;
    if (x && y && typeof x === "object" && typeof y === "object") {
      for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) walk(x[k], y[k], `${path}.${k}`);
    } else out.push(`${path}: ${JSON.stringify(x)?.slice(0, 80)} -> ${JSON.stringify(y)?.slice(0, 80)}`);
  };
  walk(a, b, "$");
  console.log(out.length ? out.join("\n") : "same JSON, different bytes (key order or spacing)");
' "$work/before.json" "$work/after.json"
echo "demo --format json differs from $base" >&2
exit 1
