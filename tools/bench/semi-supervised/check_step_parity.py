#!/usr/bin/python3
"""Loads the initial weights written by check-step-parity.mjs into torch_reference.py's ResNet-8,
runs the same FixMatch steps with torch_reference.py's training loop (optimizer, schedule, EMA) and
FixMatch loss (self-adaptive threshold, masked pseudo-labels) on the same batches, and compares the final weights (after the EMA commit), BatchNorm statistics and inference
logits with Frugal's; exits 1 when the logits differ by more than --tolerance.

Over 4 steps (check-step-parity.mjs's default) the two agree to float rounding. Longer runs part:
from the fifth step on, training on its own arg-max amplifies rounding, and the reference in float32
and in float64 part from each other exactly as much as from Frugal (3e-3 in the loss by step 5).

  node tools/bench/semi-supervised/check-step-parity.mjs --backend native --out runs/parity/step-parity.json
  /usr/bin/python3 tools/bench/semi-supervised/check_step_parity.py runs/parity/step-parity.json
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_reference as ref  # noqa: E402


def module_of(model, layer):
    """models.mjs's layer names -> torch_reference.py's modules."""
    if layer == 'head':
        return model.head
    name, part = layer.rsplit('_', 1)
    if name == 'stem':
        return getattr(model.stem, part)
    stage, which = name.split('_', 1)
    block = model.blocks[int(stage[len('layer'):]) - 1]
    return getattr({'1': block.c1, '2': block.c2, 'shortcut': block.shortcut}[which], part)


def tensor_of(model, name):
    """The torch tensor of a tfjs weight name, and how to turn the tfjs layout into torch's."""
    layer, field = name.split('/')
    m = module_of(model, layer)
    if field == 'kernel':
        return m.weight, (lambda a: a.permute(3, 2, 0, 1)) if a_is_conv(m) else (lambda a: a.t())
    return getattr(m, {'gamma': 'weight', 'beta': 'bias', 'bias': 'bias', 'moving_mean': 'running_mean',
                       'moving_variance': 'running_var'}[field]), (lambda a: a)


def a_is_conv(m):
    return isinstance(m, torch.nn.Conv2d)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('file')
    ap.add_argument('--tolerance', type=float, default=1e-4)
    args = ap.parse_args()
    torch.set_num_threads(1)
    with open(args.file) as f:
        d = json.load(f)
    model = ref.ResNet8(0.5)
    with torch.no_grad():
        for name, w in d['initial'].items():
            t, layout = tensor_of(model, name)
            t.copy_(layout(torch.tensor(w['values'], dtype=torch.float32).view(w['shape'])))
    data = ref.load_dataset('fashion-mnist')
    norm = lambda x: (x - d['normalization']['mean'][0]) / d['normalization']['std'][0]  # noqa: E731
    run = ref.Run.__new__(ref.Run)
    run.steps, run.log_every, run.tracked = 0, 0, {}
    losses, thresholds, mask_rates = [], [], []
    adaptive = ref.SelfAdaptiveThreshold(10, d['thresholdMomentum'])

    weak_logits = []
    model.head.register_forward_hook(lambda _m, _i, out: weak_logits.append(out.detach()) if not torch.is_grad_enabled() else None)

    def step(i):
        b = d['batches'][i]
        unlabelled = ref.to_unit(data['train_x'][b['extra']])
        loss, mask_rate, threshold = ref.fixmatch_loss(model, norm, ref.to_unit(data['train_x'][b['x']]), torch.tensor(d['labels'][i]),
                                                       unlabelled, lambda: unlabelled, adaptive, 1.0)
        losses.append(float(loss))
        thresholds.append(threshold)
        mask_rates.append(mask_rate)
        return loss

    run.loop(model, d['train'], len(d['batches']), step)
    model.eval()
    with torch.no_grad():
        logits = model(norm(ref.to_unit(data['train_x'][d['evalIndices']])))
    worst = {}
    for name, w in d['final'].items():
        t, layout = tensor_of(model, name)
        frugal = layout(torch.tensor(w['values'], dtype=torch.float32).view(w['shape']))
        kind = name.split('/')[1]
        rel = float((t.detach() - frugal).abs().max() / (frugal.abs().max() + 1e-12))
        worst[kind] = max(worst.get(kind, 0.0), rel)
    for kind, rel in worst.items():
        print(f'{kind:16s} largest relative difference {rel:.2e}')
    frugal_logits = torch.tensor(d['logits']).view(logits.shape)
    diff = float((logits - frugal_logits).abs().max())
    print(f'mean loss: torch {np.mean(losses):.6f}, frugal {d["loss"]:.6f}; per step |torch - frugal|: '
          + ' '.join(f'{abs(a - b):.0e}' for a, b in zip(losses, d['stepLosses'])))
    for i, (ours, theirs) in enumerate(zip(weak_logits, d['pseudoLabels'])):
        top2 = ours.topk(2, dim=1).values
        differ = (ours.argmax(dim=1) != torch.tensor(theirs)).nonzero().flatten().tolist()
        if differ:
            print(f'step {i + 1}: pseudo-labels differ on rows {differ}, where torch\'s top two logits are '
                  f'{[round(float(top2[j, 0] - top2[j, 1]), 7) for j in differ]} apart')
            break
    print(f'mean threshold: torch {np.mean(thresholds):.6f}, frugal {np.mean(d["thresholds"]):.6f}; '
          f'mask rate: torch {np.mean(mask_rates):.4f}, frugal {np.mean(d["maskRates"]):.4f}')
    print(f'inference logits after {len(d["batches"])} steps: largest |torch - frugal| {diff:.2e} '
          f'(logits up to {float(frugal_logits.abs().max()):.2f}; backend {d["backend"]})')
    sys.exit(0 if diff <= args.tolerance else 1)


if __name__ == '__main__':
    main()
