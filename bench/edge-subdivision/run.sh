#!/usr/bin/env bash
# Runs relu_edge_subdivision (Berzins, ICML 2023; PyTorch on CPU) and `atlas bench enumerate` on the same network
# and box, one after the other, for the n-D comparison of docs/benchmarks.md ("relu_edge_subdivision, side by side").
# usage: run.sh SOURCE_DIR MODEL LO HI
#   SOURCE_DIR  a checkout of https://github.com/arturs-berzins/relu_edge_subdivision (its code is imported, not copied)
#   MODEL       a relu-atlas JSON model or PyTorch state_dict of dense ReLU layers (e.g. SOURCE_DIR/models/3,3x16,relu,bunny)
#   LO HI       the box [LO, HI]^d (the repository's own runs use -0.5 0.5)
# Needs Debian's python3-torch and python3-numpy (/usr/bin/python3, or PYTHON=...). Never a test dependency.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[[ $# -eq 4 ]] || { sed -n 4,8p "$0" >&2; exit 2; }
src=$(cd "$1" && pwd); model=$(realpath "$2"); lo=$3; hi=$4
py=${PYTHON:-/usr/bin/python3}
[[ -f "$src/edge_subdivision.py" ]] || { echo "run.sh: no edge_subdivision.py in $src" >&2; exit 2; }
"$py" -c 'import torch, numpy' 2>/dev/null || { echo "run.sh: $py cannot import torch and numpy (apt install python3-torch)" >&2; exit 2; }
echo "== relu_edge_subdivision, the whole complex of the hidden units (fresh process, 6 calls)"
"$py" "$here/peer.py" "$src" "$model" "$lo" "$hi" 6 full
echo "== relu_edge_subdivision, the repository's own setting (output level set and prune; fresh process, 6 calls)"
"$py" "$here/peer.py" "$src" "$model" "$lo" "$hi" 6 repo
echo "== atlas bench enumerate, the bench's warm-up only (cold)"
"$root/atlas" bench enumerate --model "$model" --box "$lo,$hi" --engines subdivision | tail -1
echo "== atlas bench enumerate, after 15 warm-up runs of the same net"
"$root/atlas" bench enumerate --model "$model" --box "$lo,$hi" --engines subdivision --warm-up 15 | tail -1
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
