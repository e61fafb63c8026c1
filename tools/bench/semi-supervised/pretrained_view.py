"""A pretrained network's features as a second view of a run's images (a bench tool; Debian's python3-torch).

  /usr/bin/python3 tools/bench/semi-supervised/pretrained_view.py RUN_PREFIX PRETRAINED_PREFIX

RUN_PREFIX is what export-features.mjs wrote for a run, PRETRAINED_PREFIX what pretrained-features.mjs
wrote for the same run's images. A softmax regression on the pretrained features (standardised) is
fitted on the 100 labels alone, then on the run's own predictions for the unlabelled images (soft, and
hard above a confidence) with the labels; each is scored on the test images alone and averaged with
the run's softmax. Only the labelled images' labels are read, as a run reads them.
"""
import sys
import numpy as np
import torch
from probe_features import load, softmax

torch.set_num_threads(2)
WEIGHT_DECAY = 1e-3


def fit(x, targets, weights, iterations=300):
    """A softmax regression on soft `targets`, each row weighted, by L-BFGS."""
    x, targets, weights = torch.tensor(x), torch.tensor(targets, dtype=torch.float32), torch.tensor(weights, dtype=torch.float32)
    w = torch.zeros(x.shape[1], targets.shape[1], requires_grad=True)
    b = torch.zeros(targets.shape[1], requires_grad=True)
    optimizer = torch.optim.LBFGS([w, b], max_iter=iterations)

    def loss():
        optimizer.zero_grad()
        logp = torch.log_softmax(x @ w + b, 1)
        value = -(weights * (targets * logp).sum(1)).sum() / weights.sum() + WEIGHT_DECAY * (w ** 2).sum()
        value.backward()
        return value

    optimizer.step(loss)
    return lambda z: torch.softmax(torch.tensor(z) @ w + b, 1).detach().numpy()


run_prefix, pre_prefix = sys.argv[1:3]
run = {part: load(run_prefix, part) for part in ('labelled', 'unlabelled', 'test')}
pre = {part: load(pre_prefix, part)[0] for part in ('labelled', 'unlabelled', 'test')}
labels = run['labelled'][2]
test_labels = run['test'][2]
mean, sd = pre['unlabelled'].mean(0), pre['unlabelled'].std(0) + 1e-6
z = {part: ((f - mean) / sd).astype(np.float32) for part, f in pre.items()}
classes = run['test'][1].shape[1]
one_hot = np.eye(classes, dtype=np.float32)[labels]
run_test = softmax(run['test'][1])
run_unlabelled = softmax(run['unlabelled'][1])
accuracy = lambda p: 100 * (p.argmax(1) == test_labels).mean()
print(f'the run: {accuracy(run_test):.2f}%')
head = fit(z['labelled'], one_hot, np.ones(len(labels)))
print(f'pretrained features, 100 labels: {accuracy(head(z["test"])):.2f}%, averaged with the run {accuracy((head(z["test"]) + run_test) / 2):.2f}%')
x = np.concatenate([z['labelled'], z['unlabelled']])
soft = np.concatenate([one_hot, run_unlabelled])
for name, targets, weights in [
    ('soft', soft, np.ones(len(x))),
    ('hard', np.eye(classes, dtype=np.float32)[soft.argmax(1)], np.ones(len(x))),
    ('hard >= 0.9', np.eye(classes, dtype=np.float32)[soft.argmax(1)], (soft.max(1) >= 0.9).astype(np.float32)),
]:
    p = fit(x, targets, weights)(z['test'])
    row = ', '.join(f'{a:.1f}/{1 - a:.1f} {accuracy(a * p + (1 - a) * run_test):.2f}%' for a in (0.3, 0.5))
    print(f'pretrained features on the run\'s {name} labels: {accuracy(p):.2f}%; averaged with the run (weights): {row}')
run_mean, run_sd = run['unlabelled'][0].mean(0), run['unlabelled'][0].std(0) + 1e-6
both = {part: np.concatenate([z[part], (run[part][0] - run_mean) / run_sd], 1).astype(np.float32) for part in z}
p = fit(np.concatenate([both['labelled'], both['unlabelled']]), soft, np.ones(len(x)))(both['test'])
print(f'the run\'s and the pretrained features together, on its soft labels: {accuracy(p):.2f}%, averaged with the run {accuracy((p + run_test) / 2):.2f}%')
