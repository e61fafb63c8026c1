"""How far label propagation over the pixels moves a run's predictions (a bench tool; Debian's python3-torch).

  /usr/bin/python3 tools/bench/semi-supervised/pixel_propagation.py PREFIX

PREFIX is what export-features.mjs wrote for a Fashion-MNIST run. The graph is the one the
`graphSmoothing` option of the self-training strategies builds: each image linked to its 10 nearest
images by the cosine similarity of its pixels' first 50 principal components, weights the
similarity cubed. It prints the test accuracy of propagation from the 100 labels alone (test images
in the graph), and the accuracy of the run's predictions on the unlabelled training images before
and after they are smoothed over the labelled and unlabelled images' graph (α = 0.7), as the option
smooths a teacher's. The unlabelled images' true labels are read from the IDX files here, to score
the pseudo-labels; a run never reads them.
"""
import gzip
import hashlib
import sys
import numpy as np
import torch

torch.set_num_threads(2)
IDX = '/usr/share/datasets/fashion-mnist'


def load(prefix, part):
    labels = np.fromfile(f'{prefix}-{part}-labels.i32', np.int32)
    pixels = np.fromfile(f'{prefix}-{part}-pixels.u8', np.uint8).reshape(len(labels), -1)
    logits = np.fromfile(f'{prefix}-{part}-logits.f32', np.float32).reshape(len(labels), -1)
    return pixels, logits, labels


def true_labels(pixels):
    """The IDX training labels of these images, matched by their bytes."""
    images = np.frombuffer(gzip.open(f'{IDX}/train-images-idx3-ubyte.gz').read()[16:], np.uint8).reshape(-1, 784)
    labels = np.frombuffer(gzip.open(f'{IDX}/train-labels-idx1-ubyte.gz').read()[8:], np.uint8)
    index = {hashlib.md5(row.tobytes()).hexdigest(): i for i, row in enumerate(images)}
    return np.array([labels[index[hashlib.md5(row.tobytes()).hexdigest()]] for row in pixels])


def principal_components(pixels, dims=50):
    """The pixels' mean and first `dims` principal directions (`784 × dims`)."""
    x = torch.tensor(pixels.astype(np.float32) / 255)
    mean = x.mean(0)
    _, _, v = torch.pca_lowrank(x - mean, q=dims + 10, center=False)
    return mean, v[:, :dims]


def unit_projections(pixels, mean, v):
    """The images' centred pixels on the principal directions, as unit rows."""
    z = (torch.tensor(pixels.astype(np.float32) / 255) - mean) @ v
    return z / z.norm(dim=1, keepdim=True).clamp(min=1e-12)


def normalised_graph(pixels, k=10, dims=50):
    z = unit_projections(pixels, *principal_components(pixels, dims))
    n = len(z)
    sims, ids = [], []
    for s in range(0, n, 4096):
        d, i = (z[s:s + 4096] @ z.T).topk(k + 1, dim=1)
        sims.append(d[:, 1:])
        ids.append(i[:, 1:])
    rows = torch.arange(n).repeat_interleave(k)
    w = torch.sparse_coo_tensor(torch.stack([rows, torch.cat(ids).reshape(-1)]), torch.cat(sims).clamp(min=0).reshape(-1) ** 3, (n, n))
    w = (w + w.t()).coalesce()
    d = torch.sparse.sum(w, 1).to_dense().clamp(min=1e-12).rsqrt()
    i = w.indices()
    return torch.sparse_coo_tensor(i, w.values() * d[i[0]] * d[i[1]], (n, n))


def propagate(s, start, alpha, iterations=20):
    f = start.clone()
    for _ in range(iterations):
        f = alpha * torch.sparse.mm(s, f) + (1 - alpha) * start
    return f


def main(prefix):
    xl, _, yl = load(prefix, 'labelled')
    xu, lu, _ = load(prefix, 'unlabelled')
    xt, _, yt = load(prefix, 'test')
    yu = true_labels(xu)
    nl, nu, classes = len(yl), len(yu), lu.shape[1]
    onehot = torch.zeros(nl, classes)
    onehot[torch.arange(nl), torch.tensor(yl).long()] = 1

    everything = normalised_graph(np.concatenate([xl, xu, xt]))
    start = torch.cat([onehot, torch.zeros(nu + len(yt), classes)])
    f = propagate(everything, start, 0.99)
    print(f'propagation from the {nl} labels alone, test: {(f[-len(yt):].argmax(1).numpy() == yt).mean():.4f}')

    training = normalised_graph(np.concatenate([xl, xu]))
    teacher = torch.softmax(torch.tensor(lu), 1)
    print(f"the run's predictions on the unlabelled images: {(teacher.argmax(1).numpy() == yu).mean():.4f}")
    smoothed = propagate(training, torch.cat([onehot, teacher]), 0.7)[nl:]
    print(f'smoothed over the pixel graph (alpha 0.7): {(smoothed.argmax(1).numpy() == yu).mean():.4f}')


if __name__ == '__main__':
    torch.manual_seed(0)  # pca_lowrank's random start
    main(sys.argv[1])
