#!/usr/bin/env bash
# Puts the Rust sources that the Regioncam benchmark peer needs into bench/regioncam/vendor/ (git-ignored):
# Regioncam 0.5.2 itself and the three crates that Debian 12 does not package (ndarray 0.16.1, matrixmultiply
# 0.3.9, rawpointer 0.2.1). Every other crate comes from Debian: see docs/benchmarks.md for the apt-get line.
#
#   bench/regioncam/fetch-sources.sh [DIR]
#
# DIR holds git clones named regioncam, ndarray, matrixmultiply, rawpointer (or owner+name/repo mirrors);
# without DIR the four repositories are cloned from GitHub into a temporary folder.
# Each pinned tag/commit is exported with `git archive`; the Cargo.toml of the exports are rewritten so that they
# build outside their own workspaces: Regioncam without its optional picture features (svg, tiny-skia), whose
# crates Debian lacks and the benchmark does not use; requirements relaxed to the Debian versions (approx 0.5.0,
# num-traits 0.2.15); ndarray's portable-atomic dependency, used only on targets without pointer-sized atomics,
# dropped (Debian has no portable-atomic 1.x, and cargo resolves target-specific dependencies for every target).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vendor="$here/vendor"
src="${1:-}"
if [[ -z "$src" ]]; then
  src=$(mktemp -d)
  for r in twanvl/regioncam rust-ndarray/ndarray bluss/matrixmultiply bluss/rawpointer; do
    git clone --quiet --bare "https://github.com/$r" "$src/${r#*/}"
  done
fi
repo() { # the clone of $1 under $src, in either layout
  for d in "$src/$1" "$src/$1/repo" "$src"/*+"$1"/repo; do
    [[ -d "$d" ]] && git -C "$d" rev-parse --git-dir >/dev/null 2>&1 && { echo "$d"; return; }
  done
  echo "no git clone of $1 under $src" >&2; exit 2
}
export_at() { # name ref: export the tree at ref into vendor/name
  rm -rf "${vendor:?}/$1"; mkdir -p "$vendor/$1"
  git -C "$(repo "$1")" archive "$2" | tar -x -C "$vendor/$1"
}
export_at regioncam 40ac608   # "Release with improved documentation", version 0.5.2
export_at ndarray 0.16.1
export_at matrixmultiply 0.3.9
export_at rawpointer v0.2.1

cat > "$vendor/regioncam/Cargo.toml" <<'TOML'
[package]
name = "regioncam"
edition = "2021"
version = "0.5.2"
license = "MIT OR Apache-2.0"
[lib]
name = "regioncam"
[features]
default = []
svg = []
piet = []
tiny-skia = ["piet"]
[dependencies]
approx = "0.5"
ndarray = { version = "0.16.1", features = ["approx"] }
num-traits = "0.2"
rand = { version = "0.8.5", features = ["small_rng"] }
rand_distr = "0.4.3"
TOML
rm -rf "$vendor/regioncam/regioncam-python" "$vendor/regioncam/examples"

# ndarray: workspace-inherited requirements written out, its workspace and portable-atomic section removed
nd="$vendor/ndarray/Cargo.toml"
sed -i -e 's/^num-integer = { workspace = true }/num-integer = { version = "0.1.39", default-features = false }/' \
       -e 's/^num-traits = { workspace = true }/num-traits = { version = "0.2", default-features = false }/' \
       -e 's/^num-complex = { workspace = true }/num-complex = { version = "0.4", default-features = false }/' \
       -e 's/^approx = { workspace = true, optional = true }/approx = { version = "0.5", default-features = false, optional = true }/' \
       -e 's/^cblas-sys = { workspace = true, optional = true }/cblas-sys = { version = "0.1.4", default-features = false, optional = true }/' \
       "$nd"
# cut everything from [dev-dependencies] to [features], and from the target section to the end
awk '/^\[dev-dependencies\]/{skip=1} /^\[features\]/{skip=0} /^\[target\./{stop=1} !skip && !stop' "$nd" > "$nd.new"
sed -i -e '/^portable-atomic-critical-section/d' "$nd.new"
mv "$nd.new" "$nd"
# matrixmultiply: its dev-dependencies and benches are not needed
mm="$vendor/matrixmultiply/Cargo.toml"
awk '/^\[dev-dependencies\]/{skip=1; next} /^\[/{if(skip && !/^\[dev-dependencies\]/) skip=0} !skip' "$mm" | \
  awk '/^\[\[bench\]\]/{skip=1; next} /^\[/{if(skip) skip=0} !skip' > "$mm.new"
mv "$mm.new" "$mm"
echo "sources in $vendor"
