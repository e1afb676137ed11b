"""Times relu_edge_subdivision (Berzins, ICML 2023) on one network, for `bench/edge-subdivision/run.sh`.

Usage: peer.py SOURCE_DIR MODEL LO HI REPEATS MODE

SOURCE_DIR is a checkout of https://github.com/arturs-berzins/relu_edge_subdivision (its edge_subdivision.py is
imported from there, not copied); MODEL is a relu-atlas JSON model (dense layers, ReLU between them, the last layer
linear) or a PyTorch state_dict of such a stack (as the repository's models/ hold); the box is [LO, HI]^d. PRUNE is
0 (the whole complex: every vertex and edge, from which the regions are counted) or 1 (the repository's own
__main__ setting, which drops edges that no later unit can split). Prints one line per call: wall seconds of
`skeletal_subdivision`, vertices, edges, and (PRUNE 0) the regions. The first call is a fresh process's first.
"""
import json
import os
import sys
import time

import numpy as np
import torch


def load_layers(path):
    """[(weight, bias)] as float32 tensors, first layer first."""
    if path.endswith(".json"):
        with open(path) as f:
            model = json.load(f)
        layers = model["layers"]
        for i, layer in enumerate(layers):
            act = layer.get("activation", "relu")
            want = "identity" if i == len(layers) - 1 else "relu"
            if act != want:
                sys.exit(f"peer.py: layer {i} has activation {act}; relu_edge_subdivision takes ReLU layers and a linear last one")
            if "skip_from" in layer or layer.get("type", "dense") != "dense":
                sys.exit(f"peer.py: layer {i} is not a plain dense layer")
        return [(torch.tensor(l["weights"], dtype=torch.float32), torch.tensor(l["bias"], dtype=torch.float32)) for l in layers]
    state = torch.load(path, map_location="cpu")
    weights = sorted(k for k in state if k.endswith(".weight"))
    weights.sort(key=lambda k: [int(p) if p.isdigit() else p for p in k.split(".")])
    return [(state[k].float(), state[k[: -len("weight")] + "bias"].float()) for k in weights]


def region_count(v_sv, d):
    """Distinct sign vectors of the full-dimensional cells around the vertices.

    A vertex's sign vector has 0 on each hyperplane through it (its first 2d entries are the box's faces, 1 inside,
    0 on the face). In a generic complex the cells around a vertex are exactly the vectors with each neuron 0
    replaced by +1 or -1 (the bent hyperplanes cross transversally there) and each box 0 by 1 (inside); every cell
    has a vertex, so the distinct vectors are the cells."""
    sv = v_sv.numpy().astype(np.int8)
    sv[:, : 2 * d][sv[:, : 2 * d] == 0] = 1
    unit_zero = sv == 0
    cells = []
    for k in np.unique(unit_zero.sum(1)):
        rows = sv[unit_zero.sum(1) == k]
        cols = np.argsort(~unit_zero[unit_zero.sum(1) == k], axis=1, kind="stable")[:, :k]  # the k zero columns
        at = np.arange(len(rows))[:, None]
        for signs in range(1 << k):
            filled = rows.copy()
            filled[at, cols] = np.where((signs >> np.arange(k)) & 1, 1, -1)
            cells.append(filled)
    return len(np.unique(np.concatenate(cells), axis=0))


def main():
    source, model, lo, hi, repeats, mode = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
    if mode not in ("full", "repo"):
        sys.exit(f"peer.py: MODE must be full or repo, got {mode}")
    prune = mode == "repo"
    sys.path.insert(0, source)
    os.chdir(source)  # edge_subdivision imports its utils from there
    from NN import Net
    from edge_subdivision import skeletal_subdivision

    # full: the hidden layers only; the output layer cuts nothing (the regions are those of the hidden units), while
    # relu_edge_subdivision would also subdivide along the output's zero level set
    layers = load_layers(model)
    if not prune:
        layers = layers[:-1]
    ks = [layers[0][0].shape[1]] + [w.shape[0] for w, _ in layers]
    f = Net(ks)
    with torch.no_grad():
        for fc, (w, b) in zip(f.fcs, layers):
            fc.weight.copy_(w)
            fc.bias.copy_(b)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), net {ks}, box [{lo}, {hi}]^{ks[0]}, mode {mode}")
    for call in range(repeats):
        with torch.no_grad():
            t0 = time.perf_counter()
            vs, edges, v_sv = skeletal_subdivision(f, bbox=(lo, hi), device="cpu", verbose=False, prune=prune)
            seconds = time.perf_counter() - t0
        regions = region_count(v_sv, ks[0]) if not prune and call == 0 else None
        print(f"call {call + 1}: {seconds:.4f} s, {len(vs)} vertices, {len(edges)} edges"
              + (f", {regions} regions" if regions is not None else ""), flush=True)


if __name__ == "__main__":
    main()
