"""PyTorch modules equal to Lethe's shipped architecture descriptions, and safetensors by hand.

Every module here is built from torch.nn and torchvision's own classes where torchvision has
them (resnet18, vgg11_bn, BasicBlock, VisionTransformer), so matching its logits checks
Lethe's interpreter against PyTorch itself, not against a second reading of the description.
Lethe's networks take pixels in [0, 1] and normalise inside; `Normalized` does the same here.

Runs with Debian's python3-torch / python3-torchvision (/usr/bin/python3); needs no
safetensors package: the format is an 8-byte little-endian header length, a JSON header of
{name: {dtype, shape, data_offsets}}, then the raw little-endian tensor bytes.
"""
import json
import struct
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
from torchvision.models import resnet18, vgg11_bn
from torchvision.models.resnet import BasicBlock, Bottleneck
from torchvision.models.vision_transformer import VisionTransformer

FASHION_MEAN, FASHION_STD = 0.2860, 0.3530

# The shipped `vit`: Descriptions.VitSize.DEFAULT in Lethe.
VIT = dict(image_size=32, patch_size=4, num_layers=6, num_heads=4, hidden_dim=96, mlp_dim=192)


class Normalized(nn.Module):
    """(x - mean) / std, then the network; the state dict is the network's own (no prefix)."""

    def __init__(self, net, mean=FASHION_MEAN, std=FASHION_STD):
        super().__init__()
        self.net, self.mean, self.std = net, mean, std

    def forward(self, x):
        return self.net((x - self.mean) / self.std)


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(784, 256), nn.Linear(256, 128), nn.Linear(128, 10)

    def forward(self, x):
        x = x.flatten(1)
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))


def _stage(i, o):
    return [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]


class Vgg(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            *_stage(1, 16), *_stage(16, 32), nn.MaxPool2d(2), *_stage(32, 64),
            *_stage(64, 64), nn.MaxPool2d(2), *_stage(64, 64), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(nn.Linear(576, 128), nn.ReLU(), nn.Linear(128, 10))

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


class SmallResNet(nn.Module):
    """Lethe's `resnet`: torchvision's BasicBlock, one per stage, 16-32-64-128 wide, 3x3 stem."""

    def __init__(self):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(1, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16)
        self.relu = nn.ReLU()
        widths = [16, 16, 32, 64, 128]
        for i in range(1, 5):
            stride = 1 if i == 1 else 2
            down = None
            if stride != 1 or widths[i - 1] != widths[i]:
                down = nn.Sequential(nn.Conv2d(widths[i - 1], widths[i], 1, stride, bias=False),
                                     nn.BatchNorm2d(widths[i]))
            setattr(self, f"layer{i}", nn.Sequential(BasicBlock(widths[i - 1], widths[i], stride, down)))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(128, 10)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def resnet18_cifar():
    """torchvision's resnet18 with the CIFAR stem the paper's code uses: 3x3 conv1, no max pool."""
    m = resnet18(num_classes=10)
    m.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
    m.maxpool = nn.Identity()
    return m


def vgg11_bn_small():
    """torchvision's vgg11_bn features, global average pool, a 512-512-10 classifier."""
    m = vgg11_bn(num_classes=10)
    m.avgpool = nn.AdaptiveAvgPool2d(1)
    m.classifier = nn.Sequential(nn.Linear(512, 512), nn.ReLU(True), nn.Dropout(0.5), nn.Linear(512, 10))
    return m


def vit():
    return VisionTransformer(num_classes=10, **VIT)


# name -> (constructor, input shape (C, H, W))
SHIPPED = OrderedDict([
    ("mlp", (Mlp, (1, 28, 28))),
    ("vgg", (Vgg, (1, 28, 28))),
    ("resnet", (SmallResNet, (1, 28, 28))),
    ("resnet18-cifar", (resnet18_cifar, (3, 32, 32))),
    ("resnet18", (lambda: resnet18(num_classes=10), (3, 32, 32))),
    ("vgg11-bn", (vgg11_bn_small, (3, 32, 32))),
    ("vit", (vit, (3, 32, 32))),
])

class Zoo(nn.Module):
    """src/test/resources/architectures/zoo.json: every module kind and argument the shipped
    networks leave out (dilation, groups, no bias, AvgPool2d, torchvision's Bottleneck with
    groups, an uneven AdaptiveAvgPool2d, a standalone self-attention, LayerNorm, Identity)."""

    MEAN, STD = torch.tensor([0.49, 0.48, 0.45]), torch.tensor([0.25, 0.24, 0.26])

    def __init__(self):
        super().__init__()
        down = nn.Sequential(nn.Conv2d(16, 32, 1, 2, bias=False), nn.BatchNorm2d(32))
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=2, dilation=2), nn.BatchNorm2d(8), nn.GELU(), nn.AvgPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1, groups=4, bias=False), nn.BatchNorm2d(16, eps=1e-3, momentum=0.01),
            nn.ReLU(), nn.MaxPool2d(3, stride=2, padding=1),
            Bottleneck(16, 8, stride=2, downsample=down, groups=2, base_width=32))
        self.pool = nn.AdaptiveAvgPool2d(3)
        self.attn = nn.MultiheadAttention(32, 4, batch_first=True)
        self.norm = nn.LayerNorm(32)
        self.head = nn.Sequential(nn.Linear(288, 64, bias=False), nn.Identity(), nn.Dropout(0.1), nn.Linear(64, 10))

    def forward(self, x):
        x = self.pool(self.features(x))
        x = x.flatten(2).permute(0, 2, 1)
        x = self.norm(self.attn(x, x, x, need_weights=False)[0])
        return self.head(x.flatten(1))


# Not shipped; tested from its description in src/test/resources/architectures.
EXTRAS = OrderedDict([("zoo", (Zoo, (3, 32, 32)))])

_DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64", torch.int32: "I32"}
_TORCH = {v: k for k, v in _DTYPES.items()}


def save_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        array = t.detach().cpu().contiguous().numpy()
        data = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": _DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def load_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    out = OrderedDict()
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        a, b = meta["data_offsets"]
        np_type = {"F32": "<f4", "F64": "<f8", "I64": "<i8", "I32": "<i4"}[meta["dtype"]]
        array = np.frombuffer(raw[8 + n + a:8 + n + b], dtype=np_type).reshape(meta["shape"])
        out[name] = torch.from_numpy(array.copy()).to(_TORCH[meta["dtype"]])
    return out
