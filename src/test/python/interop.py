#!/usr/bin/python3
"""Fixtures for Lethe's PyTorch interop test (PyTorchInteropTest).

For every shipped architecture, and the test-only `zoo` of the module kinds they leave out: the
equal PyTorch module (lethe_torch.SHIPPED, EXTRAS) with seeded
random weights and random BatchNorm running statistics, so eval mode matters, saved as
OUT/NAME.safetensors, and OUT/NAME.io.safetensors holding `input` (a few fixed images, pixels
in [0, 1]) and `logits` (the module's output for them, in eval mode).

    /usr/bin/python3 src/test/python/interop.py OUT_DIR [NAME ...]
"""
import math
import os
import sys

import torch

sys.dont_write_bytecode = True

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lethe_torch  # noqa: E402

SAMPLES = 4


def randomise(model, gen):
    """Every tensor drawn afresh (torchvision zeroes the ViT's head and class token), scaled so
    that activations keep their size through deep stacks; BatchNorm statistics included."""
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if name.endswith("num_batches_tracked"):
                t.fill_(int(torch.randint(1, 1000, (1,), generator=gen)))
            elif name.endswith("running_var"):
                t.copy_(torch.rand(t.shape, generator=gen) * 1.5 + 0.5)
            elif name.endswith("running_mean"):
                t.copy_(torch.randn(t.shape, generator=gen) * 0.2)
            elif t.dim() >= 2 and not name.endswith(("class_token", "pos_embedding")):
                fan_in = t[0].numel()
                t.copy_((torch.rand(t.shape, generator=gen) * 2 - 1) * math.sqrt(3.0 / fan_in))
            elif name.endswith(("class_token", "pos_embedding")):
                t.copy_(torch.randn(t.shape, generator=gen) * 0.5)
            elif name.endswith("weight"):  # BatchNorm / LayerNorm scale
                t.copy_(torch.rand(t.shape, generator=gen) * 0.5 + 0.75)
            else:  # biases
                t.copy_(torch.randn(t.shape, generator=gen) * 0.1)


def main(out, names):
    os.makedirs(out, exist_ok=True)
    for name in names:
        build, shape = {**lethe_torch.SHIPPED, **lethe_torch.EXTRAS}[name]
        torch.manual_seed(0)
        net = build()
        gen = torch.Generator().manual_seed(sum(map(ord, name)))
        randomise(net, gen)
        if isinstance(net, lethe_torch.Zoo):
            model = lethe_torch.Normalized(net, net.MEAN.view(1, 3, 1, 1), net.STD.view(1, 3, 1, 1)).eval()
        else:
            model = lethe_torch.Normalized(net).eval()
        x = torch.rand((SAMPLES,) + shape, generator=gen)
        with torch.no_grad():
            logits = model(x)
        lethe_torch.save_safetensors(os.path.join(out, name + ".safetensors"), net.state_dict())
        lethe_torch.save_safetensors(os.path.join(out, name + ".io.safetensors"), {"input": x, "logits": logits})
        params = sum(p.numel() for p in net.parameters())
        print(f"{name}: {params} parameters, {len(net.state_dict())} tensors, "
              f"logits std {logits.std():.3f}, max |logit| {logits.abs().max():.3f}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:] or list(lethe_torch.SHIPPED) + list(lethe_torch.EXTRAS))
