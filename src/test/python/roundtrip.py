#!/usr/bin/python3
"""A model trained in PyTorch, forgotten by Lethe, evaluated back in PyTorch.

1. trains one of the shipped architectures (lethe_torch.SHIPPED) in PyTorch on real
   Fashion-MNIST, read here from its IDX .gz files;
2. saves its state dict as safetensors and `bin/lethe import`s it;
3. `bin/lethe forget --class C --json` (after `bin/lethe tune --class C --save` with --tune);
4. `bin/lethe export`s the result and loads it back with load_state_dict(strict=True);
5. evaluates both models in PyTorch on the test set and prints them next to what Lethe
   reported; exits 1 if any accuracy differs by more than --tolerance.

    /usr/bin/python3 src/test/python/roundtrip.py WORK_DIR [--arch vgg] [--epochs 1] [--class Trouser] [--tune]
"""
import argparse
import gzip
import hashlib
import json
import os
import struct
import subprocess
import sys
import time

import torch

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lethe_torch  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(raw[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def fashion(data, part):
    images = idx(os.path.join(data, f"{part}-images-idx3-ubyte.gz")).float().div(255).unsqueeze(1)
    labels = idx(os.path.join(data, f"{part}-labels-idx1-ubyte.gz")).long()
    return images, labels


def fit(images, shape):
    """Lethe's input rule: grey repeated to the network's channels, padded with black to its size."""
    c, h, w = shape
    top, left = (h - images.shape[2]) // 2, (w - images.shape[3]) // 2
    x = torch.nn.functional.pad(images, (left, w - images.shape[3] - left, top, h - images.shape[2] - top))
    return x.expand(-1, c, -1, -1)


def train(model, images, labels, shape, epochs, seed):
    torch.manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    model.train()
    for epoch in range(epochs):
        order = torch.randperm(len(labels))
        for step in range(len(labels) // 128):
            batch = order[step * 128:(step + 1) * 128]
            loss = torch.nn.functional.cross_entropy(model(fit(images[batch], shape)), labels[batch])
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"  epoch {epoch + 1}: loss {loss.item():.3f}", file=sys.stderr)


def per_class(model, images, labels, shape):
    model.eval()
    with torch.no_grad():
        predicted = torch.cat([model(fit(images[i:i + 500], shape)).argmax(1) for i in range(0, len(labels), 500)])
    return [((predicted == labels) & (labels == c)).sum().item() / (labels == c).sum().item() for c in range(10)]


def retain_forget(acc, forgotten):
    kept = [a for c, a in enumerate(acc) if c not in forgotten]
    gone = [a for c, a in enumerate(acc) if c in forgotten]
    return sum(kept) / len(kept), sum(gone) / len(gone)


def lethe(*args):
    cmd = [os.path.join(ROOT, "bin", "lethe"), *args]
    print("$ bin/lethe " + " ".join(args), file=sys.stderr)
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("work")
    p.add_argument("--arch", default="vgg", choices=list(lethe_torch.SHIPPED))
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--class", dest="forget", default="Trouser")
    p.add_argument("--tune", action="store_true", help="tune the class's alphas in Lethe before forgetting")
    p.add_argument("--data", default=os.environ.get("LETHE_DATA", "/usr/share/datasets/fashion-mnist"))
    p.add_argument("--tolerance", type=float, default=1e-3, help="largest accepted accuracy difference")
    a = p.parse_args()
    os.makedirs(a.work, exist_ok=True)
    build, shape = lethe_torch.SHIPPED[a.arch]

    train_x, train_y = fashion(a.data, "train")
    test_x, test_y = fashion(a.data, "t10k")
    torch.manual_seed(0)
    model = lethe_torch.Normalized(build())
    t0 = time.time()
    train(model, train_x, train_y, shape, a.epochs, seed=0)
    print(f"trained {a.arch} in PyTorch {torch.__version__}: {a.epochs} epoch(s), {time.time() - t0:.0f} s",
          file=sys.stderr)
    weights = os.path.join(a.work, "pytorch.safetensors")
    lethe_torch.save_safetensors(weights, model.net.state_dict())
    torch_before = per_class(model, test_x, test_y, shape)

    imported, forgotten_dir = os.path.join(a.work, "imported"), os.path.join(a.work, "forgotten")
    lethe("import", "--arch", a.arch, "--weights", weights, "--out", imported, "--no-tune", "--data", a.data)
    if a.tune:
        lethe("tune", "--model", imported, "--class", a.forget, "--save", "--data", a.data)
    report = json.loads(lethe("forget", "--model", imported, "--class", a.forget, "--out", forgotten_dir,
                              "--json", "--data", a.data))
    exported = os.path.join(a.work, "forgotten.safetensors")
    lethe("export", "--model", forgotten_dir, "--out", exported)

    edited = lethe_torch.Normalized(build())
    edited.net.load_state_dict(lethe_torch.load_safetensors(exported), strict=True)
    torch_after = per_class(edited, test_x, test_y, shape)

    gone = set(report["forgotten"])
    rows = [("before", report["before"], torch_before), ("after", report["after"], torch_after)]
    print(f"{a.arch} trained in PyTorch, forgot {', '.join(LABELS[c] for c in sorted(gone))} in Lethe "
          f"(alpha_r {report['alpha_r']:g}, alpha_f {report['alpha_f']:g}, rank {report['forget_rank']}, "
          f"{report['unlearn_seconds']:.1f} s), Fashion-MNIST test set:\n")
    print("| model | retain acc., Lethe | retain acc., PyTorch | forget acc., Lethe | forget acc., PyTorch |")
    print("|---|---:|---:|---:|---:|")
    worst = 0.0
    for name, by_lethe, torch_acc in rows:
        r, f = retain_forget(torch_acc, gone)
        worst = max([worst, abs(r - by_lethe["retain_accuracy"]), abs(f - by_lethe["forget_accuracy"])]
                    + [abs(x - y) for x, y in zip(torch_acc, by_lethe["per_class"])])
        print(f"| {name} | {100 * by_lethe['retain_accuracy']:.2f}% | {100 * r:.2f}% "
              f"| {100 * by_lethe['forget_accuracy']:.2f}% | {100 * f:.2f}% |")
    print(f"\nlargest per-class difference between Lethe's figures and PyTorch's: {100 * worst:.2f} points")
    with open(exported, "rb") as f:
        same = hashlib.sha256(f.read()).hexdigest() == report["sha256"]
    print(f"the exported file's sha256 {'is' if same else 'is NOT'} the one Lethe reported ({report['sha256'][:16]}...)")
    worst = worst if same else float("inf")
    sys.exit(0 if worst <= a.tolerance else 1)


if __name__ == "__main__":
    main()
