#!/usr/bin/env bash
# Builds the Regioncam benchmark peer (once) and runs `atlas bench regioncam` with it; extra arguments go to the
# bench (e.g. --cases small,w64x6 --repeats 3, or --model FILE --domain 0,1,0,1). Needs bench/regioncam/vendor/
# (./fetch-sources.sh) and Debian's crates (docs/benchmarks.md, "Regioncam").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[[ -d "$here/vendor/regioncam" ]] || { echo "run.sh: no sources in $here/vendor: run $here/fetch-sources.sh first" >&2; exit 2; }
command -v cargo >/dev/null || { echo "run.sh: no cargo on the PATH (Rust >= 1.64 is needed, see docs/benchmarks.md)" >&2; exit 2; }
(cd "$here" && cargo build --release --quiet)
exec "$root/atlas" bench regioncam --peer "$here/target/release/regioncam-bench" "$@"
