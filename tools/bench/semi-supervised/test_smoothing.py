"""How far a network's test predictions move when they are smoothed over the pixel graph (a bench
tool; Debian's python3-torch).

  /usr/bin/python3 tools/bench/semi-supervised/test_smoothing.py PREFIX [PREFIX...]

PREFIX is what export-features.mjs wrote for a Fashion-MNIST run. The graph is `graphSmoothing`'s:
each image linked to its 10 nearest images by the cosine similarity of its pixels' first 50
principal components, weights the similarity cubed. Two readings of the test images:

- transductive: the test images join the labelled and unlabelled images' graph, each starting
  from the network's softmax (the labelled ones from their labels), and the whole graph is
  propagated, as graphSmoothing smooths a teacher's labels;
- inductive: the labelled and unlabelled images' graph is propagated alone; then each test image,
  on its own, mixes the network's softmax with its 10 nearest training images' smoothed labels
  (1 - alpha and alpha), so no test image sees another.

Each reading is printed for alpha 0.5, 0.7 (graphSmoothing's default) and 0.9.
"""
import sys
import numpy as np
import torch
from pixel_propagation import load, normalised_graph, principal_components, propagate, unit_projections

torch.set_num_threads(2)


def nearest_training_images(xtrain, xtest, k=10, dims=50):
    """Each test image's k nearest training images (indices) and their weights (similarity cubed, summing to 1)."""
    mean, v = principal_components(xtrain, dims)
    ztrain, ztest = unit_projections(xtrain, mean, v), unit_projections(xtest, mean, v)
    ids, weights = [], []
    for s in range(0, len(ztest), 4096):
        d, i = (ztest[s:s + 4096] @ ztrain.T).topk(k, dim=1)
        w = d.clamp(min=0) ** 3
        ids.append(i)
        weights.append(w / w.sum(1, keepdim=True).clamp(min=1e-12))
    return torch.cat(ids), torch.cat(weights)


def inductive(neighbours, ftrain, ptest, alpha):
    """(1 - alpha) of each test image's softmax and alpha of its nearest training images' smoothed labels."""
    ids, weights = neighbours
    mixed = (weights.unsqueeze(2) * ftrain[ids]).sum(1)
    mixed = mixed / mixed.sum(1, keepdim=True).clamp(min=1e-12)
    return (1 - alpha) * ptest + alpha * mixed


def main(prefix):
    xl, _, yl = load(prefix, 'labelled')
    xu, lu, _ = load(prefix, 'unlabelled')
    xt, lt, yt = load(prefix, 'test')
    nl, nt, classes = len(yl), len(yt), lu.shape[1]
    onehot = torch.zeros(nl, classes)
    onehot[torch.arange(nl), torch.tensor(yl).long()] = 1
    pu, pt = torch.softmax(torch.tensor(lu), 1), torch.softmax(torch.tensor(lt), 1)
    acc = lambda p: (p.argmax(1).numpy() == yt).mean()
    print(f'{prefix}: the network {acc(pt):.4f}')

    xtrain = np.concatenate([xl, xu])
    everything = normalised_graph(np.concatenate([xtrain, xt]))
    training = normalised_graph(xtrain)
    neighbours = nearest_training_images(xtrain, xt)
    for alpha in (0.5, 0.7, 0.9):
        f = propagate(everything, torch.cat([onehot, pu, pt]), alpha)[-nt:]
        smoothed = propagate(training, torch.cat([onehot, pu]), alpha)
        g = inductive(neighbours, smoothed, pt, alpha)
        print(f'  alpha {alpha}: transductive {acc(f):.4f}  inductive {acc(g):.4f}')


if __name__ == '__main__':
    torch.manual_seed(0)  # pca_lowrank's random start
    for p in sys.argv[1:]:
        main(p)
