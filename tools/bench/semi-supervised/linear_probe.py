"""How many labels a run's features need: a linear probe on them (a bench tool; Debian's python3-torch).

  /usr/bin/python3 tools/bench/semi-supervised/linear_probe.py PREFIX [PREFIX ...]

Each PREFIX is what export-features.mjs wrote for one run. The test images are split in two halves
(the same for every run); a softmax regression on the standardised features of k images a class of
the first half (k = 10, 50, 100, 500) is scored on the second half, beside the run's own head on
that half. A diagnostic: it reads the test images' labels, which no run does, to ask what the
features hold that the head, chosen from the run's 100 labels, does not use.
"""
import sys
import numpy as np
import torch
from probe_features import load

torch.set_num_threads(2)
CLASSES = 10
PER_CLASS = (10, 50, 100, 500)
WEIGHT_DECAY = 1e-3


def probe(features, labels, train, test):
    """Test accuracy of a softmax regression fitted (L-BFGS) on the `train` rows."""
    mean, sd = features[train].mean(0), features[train].std(0) + 1e-6
    x = torch.tensor((features - mean) / sd)
    y = torch.tensor(labels, dtype=torch.long)
    weight = torch.zeros(x.shape[1], CLASSES, requires_grad=True)
    bias = torch.zeros(CLASSES, requires_grad=True)
    optimizer = torch.optim.LBFGS([weight, bias], max_iter=500)

    def loss():
        optimizer.zero_grad()
        value = torch.nn.functional.cross_entropy(x[train] @ weight + bias, y[train]) + WEIGHT_DECAY * (weight ** 2).sum()
        value.backward()
        return value

    optimizer.step(loss)
    return ((x[test] @ weight + bias).argmax(1) == y[test]).float().mean().item()


for prefix in sys.argv[1:]:
    features, logits, labels = load(prefix, 'test')
    order = np.random.default_rng(0).permutation(len(labels))
    first, second = order[: len(labels) // 2], order[len(labels) // 2 :]
    head = (logits[second].argmax(1) == labels[second]).mean()
    row = [f'its head {100 * head:.2f}%']
    for k in PER_CLASS:
        train = np.concatenate([first[labels[first] == c][:k] for c in range(CLASSES)])
        row.append(f'{k} a class {100 * probe(features, labels, train, second):.2f}%')
    print(f'{prefix}: ' + ', '.join(row))
