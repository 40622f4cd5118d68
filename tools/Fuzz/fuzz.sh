#!/usr/bin/env bash
# Coverage-guided fuzzing of the capture readers (CoNdis.Hardware.Capture) with SharpFuzz and AFL++.
# Usage: tools/Fuzz/fuzz.sh [seconds] [work-dir]
#   seconds   how long afl-fuzz runs (default 3600); 0 = until stopped
#   work-dir  where the instrumented build, the corpus and AFL's findings go (default artifacts/fuzz, ignored by git)
# Needs: afl++ (apt-get install afl++) and network access to NuGet for the SharpFuzz.CommandLine tool.
# Runs at nice 19: the fuzzer only takes idle CPU. See docs/fuzzing.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seconds="${1:-3600}"
work="$(mkdir -p "${2:-$root/artifacts/fuzz}" && cd "${2:-$root/artifacts/fuzz}" && pwd)"
captures="${CONDIS_CAPTURES:-$root/../shared/captures}"
command -v afl-fuzz >/dev/null || { echo "fuzz.sh: afl-fuzz is missing: apt-get install afl++" >&2; exit 2; }

# 1. The SharpFuzz instrumenter, as a dotnet tool in the work directory (no global install).
if [ ! -x "$work/tools/sharpfuzz" ]; then
  dotnet tool install --tool-path "$work/tools" SharpFuzz.CommandLine --version 2.3.0
fi

# 2. A private build of the target, then the readers' namespace instrumented in it (only that: coverage of the
#    capture code, not of the runtime).
rm -rf "$work/bin"
dotnet publish "$root/tools/Fuzz/CoNdis.Fuzz.csproj" -c Release -o "$work/bin" -p:UseAppHost=false
"$work/tools/sharpfuzz" "$work/bin/CoNdis.Hardware.dll" CoNdis.Hardware.Capture

# 3. Seeds: the shared captures up to 32 KiB (AFL wants small seeds); kept across runs in work/in.
if [ ! -d "$work/in" ]; then
  mkdir -p "$work/in"
  find "$captures" -maxdepth 1 -type f \( -name '*.pcap' -o -name '*.pcapng' \) -size -32k -exec cp {} "$work/in/" \;
fi

# 4. The run. An existing findings directory is resumed (-i -).
input="$work/in"
[ -d "$work/out/default/queue" ] && input="-"
export AFL_SKIP_BIN_CHECK=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1
duration=()
[ "$seconds" -gt 0 ] && duration=(-V "$seconds")
echo "fuzz.sh: start $(date -u +%FT%TZ), ${seconds}s, findings in $work/out"
nice -n 19 afl-fuzz -i "$input" -o "$work/out" -t 5000 -m none -x "$root/tools/Fuzz/capture.dict" "${duration[@]}" \
  -- dotnet "$work/bin/condis-fuzz.dll"
echo "fuzz.sh: end $(date -u +%FT%TZ)"

# 5. What it found, replayed through the uninstrumented target (exit 1 if any input still fails).
shopt -s nullglob
found=("$work"/out/default/crashes/id:* "$work"/out/default/hangs/id:*)
echo "fuzz.sh: ${#found[@]} crash/hang inputs"
[ "${#found[@]}" -eq 0 ] || dotnet "$work/bin/condis-fuzz.dll" "${found[@]}"
