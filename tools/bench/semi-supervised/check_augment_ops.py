#!/usr/bin/python3
"""Compares torch_reference.py's augmentation ops with @frugal/augment's on the same images and
arguments (written by check-augment-ops.mjs); prints the largest absolute difference per op and
exits 1 when one is above --tolerance.

  node tools/bench/semi-supervised/check-augment-ops.mjs --backend native --out runs/parity/augment-ops.json
  /usr/bin/python3 tools/bench/semi-supervised/check_augment_ops.py runs/parity/augment-ops.json
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_reference as ref  # noqa: E402


def shift(x, dx, dy):
    return ref.affine(x, [[1, 0, -a, 0, 1, -b] for a, b in zip(dx, dy)], mode='nearest')


def cutout_boxes(x, boxes):
    x = x.clone()
    for i, b in enumerate(boxes):
        x[i, :, b['top']:b['bottom'], b['left']:b['right']] = 0.5
    return x


KERNELS = {
    'autocontrast': lambda x, a: ref.op_autocontrast(x, None, None),
    'equalize': lambda x, a: ref.op_equalize(x, None, None),
    'invert': lambda x, a: ref.op_invert(x, None, None),
    'rotate': lambda x, a: ref.rotate_kernel(x, a['degrees']),
    'posterize': lambda x, a: ref.posterize_kernel(x, a['bits']),
    'solarize': lambda x, a: ref.solarize_kernel(x, a['thresholds']),
    'solarize-add': lambda x, a: ref.solarize_add_kernel(x, a['amounts']),
    'contrast': lambda x, a: ref.contrast_kernel(x, a['factors']),
    'brightness': lambda x, a: ref.brightness_kernel(x, a['factors']),
    'sharpness': lambda x, a: ref.sharpness_kernel(x, a['factors']),
    'shear-x': lambda x, a: ref.shear_kernel(x, a['sx'], np.zeros(len(a['sx']))),
    'shear-y': lambda x, a: ref.shear_kernel(x, np.zeros(len(a['sy'])), a['sy']),
    'translate-x': lambda x, a: ref.translate_kernel(x, a['dx'], np.zeros(len(a['dx']))),
    'translate-y': lambda x, a: ref.translate_kernel(x, np.zeros(len(a['dy'])), a['dy']),
    'shift': lambda x, a: shift(x, a['dx'], a['dy']),
    'flip': lambda x, a: x.flip(-1),
    'cutout': lambda x, a: cutout_boxes(x, a['boxes']),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('file')
    ap.add_argument('--tolerance', type=float, default=1e-4)
    args = ap.parse_args()
    with open(args.file) as f:
        data = json.load(f)
    n, h, w, c = data['shape']
    nchw = lambda values: torch.tensor(values, dtype=torch.float32).view(n, h, w, c).permute(0, 3, 1, 2)  # noqa: E731
    images = nchw(data['images'])
    worst = 0.0
    for name, out in data['outputs'].items():
        diff = (KERNELS[name](images, out['args']) - nchw(out['values'])).abs()
        worst = max(worst, float(diff.max()))
        print(f'{name:13s} max |torch - frugal| {float(diff.max()):.2e}, mean {float(diff.mean()):.2e}')
    print(f'largest difference {worst:.2e} (tolerance {args.tolerance:.0e}; backend {data["backend"]})')
    sys.exit(0 if worst <= args.tolerance else 1)


if __name__ == '__main__':
    main()
