"""The benchmark's reference: the networks of models.mjs in PyTorch on the CPU.

    /usr/bin/python3 tools/bench/backends/torch_bench.py --model resnet20 --threads 2

Prints one JSON line: images per second of wall-clock time and per second of CPU time used (all
threads together), for training and inference, the process's peak resident memory after training,
the thread count and the torch version.
"""
import argparse
import contextlib
import json
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv_a = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn_a = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)
        self.conv_b = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn_b = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)
        self.proj = None
        if stride != 1 or cin != cout:
            self.proj = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn_a(self.conv_a(x)))
        y = self.bn_b(self.conv_b(y))
        return F.relu(y + (self.proj(x) if self.proj is not None else x))


class ResNet(nn.Module):
    def __init__(self, stem, widths, blocks, num_classes=10):
        super().__init__()
        self.stem = stem
        layers, cin = [], stem_width(stem)
        for stage, (width, count) in enumerate(zip(widths, blocks)):
            for b in range(count):
                layers.append(BasicBlock(cin, width, 2 if stage > 0 and b == 0 else 1))
                cin = width
        self.blocks = nn.Sequential(*layers)
        self.head = nn.Linear(cin, num_classes)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        return self.head(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def stem_width(stem):
    return [m for m in stem.modules() if isinstance(m, nn.Conv2d)][0].out_channels


def resnet20():
    stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
    return ResNet(stem, [16, 32, 64], [3, 3, 3])


def resnet8():
    stem = nn.Sequential(nn.Conv2d(1, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
    return ResNet(stem, [16, 32, 64], [1, 1, 1])


def resnet18():
    stem = nn.Sequential(nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1))
    return ResNet(stem, [64, 128, 256, 512], [2, 2, 2, 2])


# name: (builder, image size, batch, channels)
MODELS = {"resnet8": (resnet8, 28, 64, 1), "resnet20": (resnet20, 32, 32, 3), "resnet18": (resnet18, 64, 16, 3)}


def timed(fn, batch, seconds, warmup=2, min_steps=3):
    for _ in range(warmup):
        fn()
    steps, start, cpu_start = 0, time.perf_counter(), time.process_time()
    while steps < min_steps or time.perf_counter() - start < seconds:
        fn()
        steps += 1
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return steps * batch / wall, steps * batch / cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=MODELS, default="resnet20")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--bfloat16", action="store_true", help="train and infer under torch.autocast('cpu', dtype=torch.bfloat16)")
    args = parser.parse_args()
    precision = torch.autocast("cpu", dtype=torch.bfloat16) if args.bfloat16 else contextlib.nullcontext()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    build, size, batch, channels = MODELS[args.model]
    model = build()
    x = torch.randn(batch, channels, size, size)
    y = torch.randint(0, 10, (batch,))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

    def train_step():
        optimizer.zero_grad()
        with precision:
            loss = F.cross_entropy(model(x).float(), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    model.train()
    train, train_cpu = timed(train_step, batch, args.seconds)
    train_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    model.eval()
    with torch.no_grad():
        def infer_step():
            with precision:
                return model(x).float().sum().item()
        infer, infer_cpu = timed(infer_step, batch, args.seconds / 2)
    print(json.dumps({"model": args.model, "train_images_per_s": train, "infer_images_per_s": infer,
                      "train_images_per_cpu_s": train_cpu, "infer_images_per_cpu_s": infer_cpu, "train_peak_mb": train_peak_mb,
                      "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
