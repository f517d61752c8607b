"""The user's side of the worked example in docs/architectures.md: a network trained in PyTorch
on an image folder, its state dict saved as safetensors. Nothing here knows about Lethe except
the file format (and lethe_torch.save_safetensors, so that no extra package is needed).

    /usr/bin/python3 my_cnn.py IMAGE_FOLDER OUT.safetensors [--epochs N]
"""
import argparse
import os
import sys

import torch
import torch.nn as nn
from torchvision import datasets, transforms

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "src", "test", "python"))
from lethe_torch import save_safetensors  # noqa: E402


class MyCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(64, 10))

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("folder")
    p.add_argument("out")
    p.add_argument("--epochs", type=int, default=2)
    a = p.parse_args()
    torch.manual_seed(7)
    # The normalisation travels with the network in Lethe (the description's mean and std).
    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.2860] * 3, [0.3530] * 3)])
    train = datasets.ImageFolder(os.path.join(a.folder, "train"), transform=tf)
    test = datasets.ImageFolder(os.path.join(a.folder, "test"), transform=tf)
    model = MyCnn()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loader = torch.utils.data.DataLoader(train, batch_size=128, shuffle=True)
    for epoch in range(a.epochs):
        model.train()
        for i, (x, y) in enumerate(loader):
            opt.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
            if i % 100 == 0:
                print(f"epoch {epoch + 1}/{a.epochs} batch {i}/{len(loader)}", file=sys.stderr, flush=True)
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in torch.utils.data.DataLoader(test, batch_size=500):
            correct += (model(x).argmax(1) == y).sum().item()
    print(f"PyTorch test accuracy {100 * correct / len(test):.2f}%")
    save_safetensors(a.out, model.state_dict())


if __name__ == "__main__":
    main()
