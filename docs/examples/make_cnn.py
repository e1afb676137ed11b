#!/usr/bin/python3
"""Trains the small CNN of the README example briefly and exports it with torch.onnx (Debian python3-torch 1.13).

Run from the repository root:  /usr/bin/python3 docs/examples/make_cnn.py
Reads MNIST's test set from ~/.relu-atlas/data/mnist (`./atlas data mnist` puts it there); trains on its first
8000 images for three epochs (under a minute on two cores) and writes
  docs/examples/cnn-mnist.onnx    Conv(1->2, 5x5, stride 2), ReLU, MaxPool 2x2, Conv(2->4, 3x3), ReLU, Linear(64->10)
  docs/examples/mnist-plane.json  {"points": [a, b, c]}: three of the held-out test images (pixels / 255)
The weights are whatever three epochs give on this machine (seeded, but float summation order may differ).
"""
import json
import os
import struct

import torch
import torch.nn as nn

torch.manual_seed(0)
ROOT = os.path.expanduser("~/.relu-atlas/data/mnist/")


def idx(path):
    with open(path, "rb") as f:
        magic, = struct.unpack(">I", f.read(4))
        dims = struct.unpack(">" + "I" * (magic & 0xff), f.read(4 * (magic & 0xff)))
        return torch.frombuffer(bytearray(f.read()), dtype=torch.uint8).reshape(dims)


x = idx(ROOT + "t10k-images-idx3-ubyte").float().div(255).unsqueeze(1)
y = idx(ROOT + "t10k-labels-idx1-ubyte").long()
train_x, train_y, held_x, held_y = x[:8000], y[:8000], x[8000:], y[8000:]

net = nn.Sequential(nn.Conv2d(1, 2, 5, stride=2), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Conv2d(2, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(64, 10))
opt = torch.optim.Adam(net.parameters(), lr=3e-3)
for epoch in range(3):
    perm = torch.randperm(len(train_x))
    for k in range(0, len(perm), 64):
        b = perm[k:k + 64]
        opt.zero_grad()
        loss = nn.functional.cross_entropy(net(train_x[b]), train_y[b])
        loss.backward()
        opt.step()
net.eval()
with torch.no_grad():
    acc = (net(held_x).argmax(1) == held_y).float().mean().item()
print("held-out accuracy %.3f" % acc)

torch.onnx.export(net, torch.zeros(1, 1, 28, 28), "docs/examples/cnn-mnist.onnx", opset_version=13,
                  input_names=["image"], output_names=["logits"], dynamic_axes={"image": {0: "batch"}})
# three held-out images of different classes: the first 0, 1 and 7
picks = [next(i for i in range(len(held_y)) if held_y[i] == c) for c in (0, 1, 7)]
with open("docs/examples/mnist-plane.json", "w") as f:
    json.dump({"comment": "MNIST test images %s (labels 0, 1, 7), pixels / 255" % [8000 + i for i in picks],
               "points": [[round(v, 6) for v in held_x[i].flatten().tolist()] for i in picks]}, f)
print("wrote docs/examples/cnn-mnist.onnx and docs/examples/mnist-plane.json, images", [8000 + i for i in picks])
