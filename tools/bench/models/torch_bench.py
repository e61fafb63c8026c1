"""The reference of tools/bench/models: torchvision's networks, inference (or, with --train,
training: SGD with momentum 0.9 on cross-entropy, batch norm in training mode) on the CPU.

    /usr/bin/python3 tools/bench/models/torch_bench.py --model resnet50 --threads 2 [--train]

Prints one JSON line: images per second of wall-clock time and per second of CPU time (all threads).
"""
import argparse
import json
import time

import torch
import torchvision


def build(name):
    # Without the auxiliary classifiers, as Frugal's registry builds these networks by default.
    if name == "googlenet":
        return torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=False)
    if name == "inception_v3":
        return torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=False)
    return getattr(torchvision.models, name)(weights=None)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="resnet18")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--train", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = build(args.model)
    x = torch.rand(args.batch, 3, args.size, args.size) * 2 - 1
    if args.train:
        model.train()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        labels = torch.randint(0, 1000, (args.batch,))

        def run():
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(x), labels).backward()
            optimizer.step()
    else:
        model.eval()

        def run():
            with torch.no_grad():
                model(x)

    run()  # warm-up
    images = 0
    cpu0, t0 = time.process_time(), time.perf_counter()
    while time.perf_counter() - t0 < args.seconds or images < 2 * args.batch:
        run()
        images += args.batch
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    print(json.dumps({
        "runtime": f"torch {torch.__version__} cpu, {args.threads} threads",
        "model": args.model,
        "size": args.size,
        "batch": args.batch,
        "imagesPerSecond": images / wall,
        "imagesPerCpuSecond": images / cpu,
    }))


if __name__ == "__main__":
    main()
