"""What a trained run's features hold, beyond its classifier (a bench tool; Debian's python3-torch).

  /usr/bin/python3 tools/bench/semi-supervised/probe_features.py PREFIX [PREFIX ...]

Each PREFIX is what export-features.mjs wrote for one run. For each: the classifier's test
accuracy; the nearest class mean of the labelled images' features (cosine); label propagation
(Zhou et al. 2004, as in Iscen et al. 2019) over a k-nearest-neighbour graph of the labelled,
unlabelled and test features, from the labelled images' labels alone and with the classifier's
probabilities as a prior. A pretext network's head answers its own task, not the classes: of such
a run only the features are probed. With several classifiers: the test accuracy of their averaged
softmax and of their averaged logits.
Only the labelled images' labels are read, as a run reads them.
"""
import sys
import numpy as np
import torch

torch.set_num_threads(1)


def load(prefix, part):
    labels = np.fromfile(f'{prefix}-{part}-labels.i32', np.int32)
    n = len(labels)
    features = np.fromfile(f'{prefix}-{part}-features.f32', np.float32).reshape(n, -1)
    logits = np.fromfile(f'{prefix}-{part}-logits.f32', np.float32).reshape(n, -1)
    return features, logits, labels


def unit(x):
    return x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-12)


def softmax(logits):
    e = np.exp(logits - logits.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def propagation_graph(x, k):
    """Symmetric, normalised k-NN graph of unit features (similarities cubed), as a sparse tensor."""
    n = len(x)
    xt = torch.from_numpy(x)
    idx = np.zeros((n, k), np.int64)
    sim = np.zeros((n, k), np.float32)
    for s in range(0, n, 2000):
        values, indices = (xt[s:s + 2000] @ xt.T).topk(k + 1, dim=1)
        idx[s:s + 2000] = indices[:, 1:].numpy()
        sim[s:s + 2000] = values[:, 1:].numpy()
    rows = np.repeat(np.arange(n), k)
    w = np.maximum(sim, 0).ravel() ** 3
    r = np.concatenate([rows, idx.ravel()])
    c = np.concatenate([idx.ravel(), rows])
    v = np.concatenate([w, w])
    degree = np.bincount(r, weights=v, minlength=n)
    v = v / np.sqrt(degree[r] * degree[c] + 1e-12)
    return torch.sparse_coo_tensor(np.stack([r, c]), torch.from_numpy(v.astype(np.float32)), (n, n)).coalesce()


def probe(prefix):
    fl, _, yl = load(prefix, 'labelled')
    fu, lu, _ = load(prefix, 'unlabelled')
    ft, lt, yt = load(prefix, 'test')
    classes = int(yl.max()) + 1
    classifier = lt.shape[1] == classes
    if classifier:
        print(f'{prefix}: classifier {100 * (lt.argmax(1) == yt).mean():.2f}%')
    else:
        print(f'{prefix}: a head of {lt.shape[1]} outputs, not a classifier of the {classes} classes')
    means = unit(np.stack([unit(fl)[yl == c].sum(0) for c in range(classes)]))
    print(f'  nearest class mean of the labelled features: {100 * ((unit(ft) @ means.T).argmax(1) == yt).mean():.2f}%')
    x = unit(np.concatenate([fl, fu, ft]))
    nl, nu = len(yl), len(fu)
    prior = np.concatenate([softmax(lu), softmax(lt)]) if classifier else None
    for k in (10, 30):
        graph = propagation_graph(x, k)
        for weight in (0, 1) if classifier else (0,):
            y = np.zeros((len(x), classes), np.float32)
            y[np.arange(nl), yl] = 1
            if weight:
                y[nl:] = prior
            z = y.copy()
            for _ in range(40):
                z = 0.99 * (graph @ torch.from_numpy(z)).numpy() + 0.01 * y
            accuracy = (z[nl + nu:].argmax(1) == yt).mean()
            print(f'  label propagation, k={k}, {"with the classifier as prior" if weight else "labels only"}: {100 * accuracy:.2f}%')
    return (softmax(lt), lt, yt) if classifier else None


if __name__ == '__main__':
    results = [probe(p) for p in sys.argv[1:]]
    results = [r for r in results if r is not None]
    if len(results) > 1:
        labels = results[0][2]
        for name, part in (('softmax', 0), ('logits', 1)):
            mean = sum(r[part] for r in results) / len(results)
            print(f'ensemble of {len(results)} (mean {name}): {100 * (mean.argmax(1) == labels).mean():.2f}%')
