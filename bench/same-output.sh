#!/usr/bin/env bash
# Checks that the working tree builds the same sites, byte for byte, as an
# earlier revision: the sample site and the 1,000-story corpus.
#
#   bench/same-output.sh [REV]        (default: main)
#
# Builds REV's release binary in target/same-output/ (a copy of REV's files
# with a copy of this checkout's compiled release dependencies: cargo would
# take the two for one package in one target folder), builds both sites with it
# and with the working tree's binary, and compares the outputs with diff -r.
# The corpus is generated as the benchmarks do (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

REV=${1:-main}
WORK=target/same-output
CORPUS=target/bench/corpus-1000

rm -rf "$WORK" && mkdir -p "$WORK/src"
git archive "$REV" | tar -x -C "$WORK/src"
cargo build --release --quiet
cp target/release/backtrack "$WORK/after"
mkdir -p "$WORK/target" && cp -a target/release "$WORK/target/"
# The copied build looks newer than REV's files: touch them so cargo rebuilds.
find "$WORK/src" -type f -exec touch {} +
CARGO_TARGET_DIR="$PWD/$WORK/target" cargo build --release --quiet --manifest-path "$WORK/src/Cargo.toml"
cp "$WORK/target/release/backtrack" "$WORK/before"

if [ ! -e "$CORPUS/.complete" ]; then
    cargo run --release --quiet --example corpus -- "$CORPUS" --stories 1000 --seed 42 --flavor backtrack --force >/dev/null
    touch "$CORPUS/.complete"
fi

status=0
for site in . "$CORPUS"; do
    for side in before after; do
        "$WORK/$side" build --root "$site" --output "$WORK/out-$side" >/dev/null
    done
    if diff -r "$WORK/out-before" "$WORK/out-after" >/dev/null; then
        echo "same output: $site"
    else
        echo "DIFFERENT output: $site (diff -r $WORK/out-before $WORK/out-after)"
        status=1
    fi
done
exit $status
