"""The backbones byol4j builds (org.byol4j.nn.ResNet), written in PyTorch for the reference benchmarks.

Names follow byol4j's: resnet<depth>-small-w<width>, depth 18 (torchvision's ResNet-18 with a 3x3 stem and no
max-pool: stages of 64, 128, 256, 512 channels times the width, two BasicBlocks each) or 20 (CIFAR ResNet-20: 16,
32, 64 times the width, three BasicBlocks each); widths are rounded and at least 1, shortcuts are 1x1 projections
whenever stride or width changes. Module order equals byol4j's parameter order, so weights carry over one to one.
"""
import re

import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:  # 1x1 projection ("option B"), as byol4j and torchvision
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


def resnet(name, channels):
    """The backbone called `name` for `channels`-channel images, and its feature width."""
    m = re.fullmatch(r"resnet(18|20)-small-w([0-9.]+)", name)
    if not m:
        raise SystemExit("backbone must be resnet18-small-w<width> or resnet20-small-w<width>, got " + name)
    width = float(m.group(2))
    if m.group(1) == "20":
        base, blocks = [16, 32, 64], [3, 3, 3]
    else:
        base, blocks = [64, 128, 256, 512], [2, 2, 2, 2]
    widths = [max(1, int(b * width + 0.5)) for b in base]
    stem = widths[0]
    layers = [nn.Conv2d(channels, stem, 3, 1, 1, bias=False), nn.BatchNorm2d(stem), nn.ReLU(inplace=True)]
    cin = stem
    for i, (w, n) in enumerate(zip(widths, blocks)):
        for j in range(n):
            layers.append(BasicBlock(cin, w, 2 if (j == 0 and i > 0) else 1))
            cin = w
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    return nn.Sequential(*layers), cin
