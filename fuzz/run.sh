#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 60) each, two at a time at the
# lowest CPU priority, then prints what ran: executions and crashes per target.
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# Seed corpora come from the fixture sites; crashes land in artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
targets=(story_parse markdown_render request_path story_html)

# Seeds: every fixture story for the parsers, a few request paths.
for target in story_parse markdown_render; do
  mkdir -p "corpus/$target"
  for story in $(cd ../tests/fixtures && find . -name '*.md'); do
    cp "../tests/fixtures/$story" "corpus/$target/$(echo "$story" | tr / _)"
  done
done
mkdir -p corpus/request_path corpus/story_html logs
i=0
for path in / /news/ /a-story/ /caf%C3%A9/ /../etc/passwd /%2e%2e/x /a//b /style.css /news; do
  printf '%s' "$path" > "corpus/request_path/seed-$i"
  i=$((i + 1))
done

# No sanitizer: backtrack forbids unsafe code, so AddressSanitizer would
# only slow the runs; panics and failed assertions are what the targets find.
nice -n 19 cargo +nightly fuzz build --sanitizer none
printf '%s\n' "${targets[@]}" | SECONDS_EACH="$seconds" xargs -P 2 -I{} \
  sh -c 'nice -n 19 cargo +nightly fuzz run --sanitizer none {} corpus/{} -- \
    -max_total_time="$SECONDS_EACH" -print_final_stats=1 > logs/{}.log 2>&1 \
    || echo "{}: stopped with a failure, see fuzz/logs/{}.log"'

printf '%-16s %12s %8s\n' target executions crashes
for target in "${targets[@]}"; do
  runs=$(grep -ho 'stat::number_of_executed_units: *[0-9]*' "logs/$target.log" | grep -o '[0-9]*$' || echo 0)
  crashes=$(find "artifacts/$target" -type f 2>/dev/null | wc -l)
  printf '%-16s %12s %8s\n' "$target" "${runs:-0}" "$crashes"
done
