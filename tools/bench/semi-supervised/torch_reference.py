#!/usr/bin/python3
"""PyTorch reference of the semi-supervised bench's recipes, for step-matched parity with Frugal.

It trains what a recipe of recipes.mjs says (exported as JSON by export-split.mjs, so the numbers
come from the same file Frugal's run uses) on the labelled/unlabelled split Frugal's run of that
seed uses: the same network (ResNet-8 at half width, TensorFlow 'same' padding, 1x1 projection
shortcuts, BatchNorm momentum 0.1 / epsilon 1e-5, truncated-normal fan-out init, Glorot head), the
same SGD (Nesterov, weight decay on kernels only), the same per-step cosine schedule, the same
augmentations (flip, pad-crop, timm RandAugment with Frugal's op definitions, Cutout), the same
FixMatch (weak-view pseudo-labels in training mode, FreeMatch self-adaptive thresholds, EMA of
weights and BatchNorm statistics) and pseudo-labelling (top-k per class). The random streams differ:
only the split is shared.

  node tools/bench/semi-supervised/export-split.mjs --seeds 0,1,2 --methods supervised,fixmatch --scale 0.25 --out-dir runs/parity
  /usr/bin/python3 tools/bench/semi-supervised/torch_reference.py --recipe runs/parity/recipe-fixmatch-scale0.25.json \
      --split runs/parity/split-fashion-mnist-10pc-seed0.json --seed 0 --out runs/parity/torch.jsonl

Debian's python3-torch (CPU); one thread by default (--threads).
"""
import argparse
import datetime
import gzip
import json
import math
import os
import resource
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATASET_DIRS = {'fashion-mnist': '/usr/share/datasets/fashion-mnist'}


# ---------------------------------------------------------------- data

def read_idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def idx_file(directory, stem):
    for name in (stem, stem + '.gz'):
        if os.path.exists(os.path.join(directory, name)):
            return os.path.join(directory, name)
    raise FileNotFoundError(f'{stem}(.gz) not found in {directory}')


def load_dataset(name):
    d = DATASET_DIRS[name]
    return {
        'train_x': read_idx(idx_file(d, 'train-images-idx3-ubyte')),
        'train_y': read_idx(idx_file(d, 'train-labels-idx1-ubyte')).astype(np.int64),
        'test_x': read_idx(idx_file(d, 't10k-images-idx3-ubyte')),
        'test_y': read_idx(idx_file(d, 't10k-labels-idx1-ubyte')).astype(np.int64),
    }


def to_unit(pixels):
    """uint8 [n, h, w] -> float32 [n, 1, h, w] in [0, 1]."""
    return torch.from_numpy(pixels.astype(np.float32) / 255.0).unsqueeze(1)


# ---------------------------------------------------------------- model

def same_pad(x, kernel, stride):
    """TensorFlow's 'same' padding: the extra pixel, if any, goes to the bottom and right."""
    out = []
    for size in (x.shape[3], x.shape[2]):
        total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
        out += [total // 2, total - total // 2]
    return F.pad(x, out)


class ConvBn(nn.Module):
    def __init__(self, cin, cout, kernel, stride):
        super().__init__()
        self.kernel, self.stride = kernel, stride
        self.conv = nn.Conv2d(cin, cout, kernel, stride, padding=0, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)

    def forward(self, x):
        return self.bn(self.conv(same_pad(x, self.kernel, self.stride)))


def drop_path(x, rate, training):
    if not training or rate <= 0:
        return x
    keep = (torch.rand(x.shape[0], 1, 1, 1) >= rate).float()
    return x * keep / (1 - rate)


class BasicBlock(nn.Module):
    def __init__(self, cin, planes, stride, drop_path_rate):
        super().__init__()
        self.c1 = ConvBn(cin, planes, 3, stride)
        self.c2 = ConvBn(planes, planes, 3, 1)
        self.shortcut = None if stride == 1 and cin == planes else ConvBn(cin, planes, 1, stride)
        self.drop_path_rate = drop_path_rate

    def forward(self, x):
        y = self.c2(F.relu(self.c1(x)))
        identity = x if self.shortcut is None else self.shortcut(x)
        return F.relu(drop_path(y, self.drop_path_rate, self.training) + identity)


class ResNet8(nn.Module):
    """models.mjs's resnet8: stem, one basic block per stage (16/32/64 x width), GAP, dropout, linear."""

    def __init__(self, width=0.5, num_classes=10, channels=1, dropout=0.0, stochastic_depth_rate=0.0):
        super().__init__()
        w = [max(1, round(c * width)) for c in (16, 32, 64)]
        self.stem = ConvBn(channels, w[0], 3, 1)
        blocks, cin = [], w[0]
        for stage, c in enumerate(w):
            blocks.append(BasicBlock(cin, c, 1 if stage == 0 else 2, stochastic_depth_rate * (stage + 1) / 3))
            cin = c
        self.blocks = nn.Sequential(*blocks)
        self.dropout = dropout
        self.head = nn.Linear(w[2], num_classes)

    def forward(self, x):
        x = self.blocks(F.relu(self.stem(x)))
        x = x.mean(dim=(2, 3))
        if self.dropout > 0:
            x = F.dropout(x, self.dropout, self.training)
        return self.head(x)


def init_like_frugal(model):
    """Conv kernels: tfjs varianceScaling(2, fanOut, normal) = N(0, 2/fanOut) truncated at 2 sd; head: Glorot uniform, zero bias."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            fan_out = m.out_channels * m.kernel_size[0] * m.kernel_size[1]
            sd = math.sqrt(2.0 / fan_out)
            nn.init.trunc_normal_(m.weight, 0.0, sd, -2 * sd, 2 * sd)
        elif isinstance(m, nn.Linear):
            limit = math.sqrt(6.0 / (m.in_features + m.out_features))
            nn.init.uniform_(m.weight, -limit, limit)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)


def build_model(recipe, extra=None):
    widths = {'resnet8-w0.5': 0.5, 'resnet8-w0.75': 0.75, 'resnet8': 1.0}
    name = recipe['model']['name']
    if name not in widths:
        raise ValueError(f'model {name}: the reference knows {", ".join(widths)}')
    params = {**recipe['model'].get('params', {}), **(extra or {})}
    model = ResNet8(widths[name], dropout=params.get('dropout', 0.0), stochastic_depth_rate=params.get('stochasticDepthRate', 0.0))
    init_like_frugal(model)
    return model


# ---------------------------------------------------------------- optimiser, schedule, EMA

def make_optimizer(model, cfg):
    if cfg.get('name', 'sgd') != 'sgd':
        raise ValueError('the reference implements sgd only')
    decay = [p for p in model.parameters() if p.dim() >= 2]  # kernels only, as Frugal's decays()
    rest = [p for p in model.parameters() if p.dim() < 2]
    return torch.optim.SGD(
        [{'params': decay, 'weight_decay': cfg.get('weightDecay', 5e-4)}, {'params': rest, 'weight_decay': 0.0}],
        lr=cfg.get('lr', 0.05), momentum=cfg.get('momentum', 0.9), nesterov=cfg.get('nesterov', True))


def lr_factor(schedule, step, total):
    name = schedule.get('name', 'cosine')
    if name == 'constant':
        return 1.0
    if name != 'cosine':
        raise ValueError(f'schedule {name}: the reference implements cosine and constant')
    low = schedule.get('minLrFactor', 0.0)
    p = min(1.0, step / max(1, total))
    return low + (1 - low) * 0.5 * (1 + math.cos(math.pi * p))


class WeightEma:
    """Frugal's WeightEma: every float tensor of the state (weights and BatchNorm statistics)."""

    def __init__(self, model, decay):
        self.model, self.decay = model, decay
        self.shadow = {k: v.detach().clone() for k, v in model.state_dict().items() if v.dtype.is_floating_point}

    @torch.no_grad()
    def update(self):
        for k, v in self.model.state_dict().items():
            if k in self.shadow:
                self.shadow[k].mul_(self.decay).add_(v, alpha=1 - self.decay)

    @torch.no_grad()
    def commit(self):
        state = self.model.state_dict()
        for k, v in self.shadow.items():
            state[k].copy_(v)


# ---------------------------------------------------------------- augmentation (images [n, 1, h, w] in [0, 1])

def affine(x, maps, mode='bilinear'):
    """Frugal's affineTransform: output pixel (x, y) reads source (a x + b y + c, d x + e y + f), outside = 0."""
    n, _, h, w = x.shape
    m = torch.as_tensor(np.asarray(maps, dtype=np.float32).reshape(n, 6))
    ys, xs = torch.meshgrid(torch.arange(h, dtype=torch.float32), torch.arange(w, dtype=torch.float32), indexing='ij')
    sx = m[:, 0, None, None] * xs + m[:, 1, None, None] * ys + m[:, 2, None, None]
    sy = m[:, 3, None, None] * xs + m[:, 4, None, None] * ys + m[:, 5, None, None]
    grid = torch.stack([2 * sx / (w - 1) - 1, 2 * sy / (h - 1) - 1], dim=-1)
    return F.grid_sample(x, grid, mode=mode, padding_mode='zeros', align_corners=True)


def signed(levels, rng, max_value):
    values = np.asarray(levels) / 10.0 * max_value
    return np.where(rng.random(len(values)) < 0.5, -values, values)


def enhance(levels):
    return np.asarray(levels) / 10.0 * 1.8 + 0.1


def blend(degenerate, x, factors):
    f = torch.as_tensor(np.asarray(factors, dtype=np.float32)).view(-1, 1, 1, 1)
    return (degenerate + f * (x - degenerate)).clamp(0, 1)


def op_autocontrast(x, levels, rng):
    low = x.amin(dim=(2, 3), keepdim=True)
    high = x.amax(dim=(2, 3), keepdim=True)
    span = high - low
    flat = span <= 0
    scale = torch.where(flat, torch.ones_like(span), 1 / torch.where(flat, torch.ones_like(span), span))
    offset = torch.where(flat, torch.zeros_like(low), low)
    return ((x - offset) * scale).clamp(0, 1)


def op_equalize(x, levels, rng):
    n, c, h, w = x.shape
    v = torch.round(x.clamp(0, 1) * 255).to(torch.int64).reshape(n * c, h * w)
    out = torch.empty_like(v, dtype=torch.float32)
    for r in range(n * c):
        hist = torch.bincount(v[r], minlength=256).float()
        last = int(torch.nonzero(hist)[-1])
        step = math.floor((h * w - float(hist[last])) / 255)
        if step <= 0:
            out[r] = v[r].float()
            continue
        below = torch.cumsum(hist, 0) - hist
        lut = torch.floor((below + step // 2) / step).clamp(0, 255)
        out[r] = lut[v[r]]
    return (out / 255).reshape(n, c, h, w)


def op_invert(x, levels, rng):
    return 1 - x


def op_rotate(x, levels, rng):
    return rotate_kernel(x, signed(levels, rng, 30.0))


def rotate_kernel(x, degrees):
    _, _, h, w = x.shape
    cx, cy = (w - 1) / 2, (h - 1) / 2
    maps = []
    for deg in degrees:
        t = math.radians(deg)
        c, s = math.cos(t), math.sin(t)
        maps.append([c, -s, cx - c * cx + s * cy, s, c, cy - s * cx - c * cy])
    return affine(x, maps)


def op_posterize(x, levels, rng):
    return posterize_kernel(x, np.floor(np.asarray(levels) / 10 * 4))


def posterize_kernel(x, bits):
    bits = np.asarray(bits)
    step = torch.as_tensor(2.0 ** (8 - np.clip(np.round(bits), 0, 8)), dtype=torch.float32).view(-1, 1, 1, 1)
    keep = torch.as_tensor(bits >= 8).view(-1, 1, 1, 1)
    post = torch.floor(torch.round(x * 255) / step) * step / 255
    return torch.where(keep, x, post)


def op_solarize(x, levels, rng):
    t = np.minimum(256, np.floor(np.asarray(levels) / 10 * 256))
    return solarize_kernel(x, (t - 0.5) / 255)


def solarize_kernel(x, thresholds):
    thr = torch.as_tensor(np.asarray(thresholds), dtype=torch.float32).view(-1, 1, 1, 1)
    return torch.where(x >= thr, 1 - x, x)


def op_solarize_add(x, levels, rng):
    return solarize_add_kernel(x, np.minimum(128, np.floor(np.asarray(levels) / 10 * 110)) / 255)


def solarize_add_kernel(x, amounts):
    add = torch.as_tensor(np.asarray(amounts), dtype=torch.float32).view(-1, 1, 1, 1)
    return torch.where(x < 0.5, (x + add).clamp(0, 1), x)


def op_saturation(x, levels, rng):
    return blend(x, x, enhance(levels))  # the grey version of a one-channel image is itself


def op_contrast(x, levels, rng):
    return contrast_kernel(x, enhance(levels))


def contrast_kernel(x, factors):
    return blend(x.mean(dim=(1, 2, 3), keepdim=True), x, factors)


def op_brightness(x, levels, rng):
    return brightness_kernel(x, enhance(levels))


def brightness_kernel(x, factors):
    return blend(torch.zeros_like(x), x, factors)


SMOOTH = torch.tensor([[1, 1, 1], [1, 5, 1], [1, 1, 1]], dtype=torch.float32).view(1, 1, 3, 3) / 13


def op_sharpness(x, levels, rng):
    return sharpness_kernel(x, enhance(levels))


def sharpness_kernel(x, factors):
    smooth = F.conv2d(x, SMOOTH, padding=1)
    mask = torch.zeros_like(x[:1])
    mask[..., 1:-1, 1:-1] = 1
    return blend(x + mask * (smooth - x), x, factors)


def shear_kernel(x, sx, sy):
    cx, cy = (x.shape[3] - 1) / 2, (x.shape[2] - 1) / 2
    return affine(x, [[1, a, -a * cy, b, 1, -b * cx] for a, b in zip(sx, sy)])


def translate_kernel(x, dx, dy):
    return affine(x, [[1, 0, -a, 0, 1, -b] for a, b in zip(dx, dy)])


def op_shear_x(x, levels, rng):
    return shear_kernel(x, signed(levels, rng, 0.3), np.zeros(len(levels)))


def op_shear_y(x, levels, rng):
    return shear_kernel(x, np.zeros(len(levels)), signed(levels, rng, 0.3))


def op_translate_x(x, levels, rng):
    return translate_kernel(x, signed(levels, rng, 0.45) * x.shape[3], np.zeros(len(levels)))


def op_translate_y(x, levels, rng):
    return translate_kernel(x, np.zeros(len(levels)), signed(levels, rng, 0.45) * x.shape[2])


RAND_AUGMENT_OPS = [op_autocontrast, op_equalize, op_invert, op_rotate, op_posterize, op_solarize, op_solarize_add,
                    op_saturation, op_contrast, op_brightness, op_sharpness, op_shear_x, op_shear_y, op_translate_x,
                    op_translate_y]


def rand_augment(x, rng, spec):
    n_ops, m, mstd = spec.get('n', 2), spec.get('m', 9), spec.get('mstd', 0)
    mmax, op_p = spec.get('mmax', 10), spec.get('opProbability', 0.5)
    if spec.get('fill', 0.5) != 0:
        raise ValueError('the reference fills geometric ops with 0 only')
    x = x.clone()
    for _ in range(n_ops):
        members = [[] for _ in RAND_AUGMENT_OPS]
        levels = [[] for _ in RAND_AUGMENT_OPS]
        for i in range(x.shape[0]):
            k = int(rng.integers(len(RAND_AUGMENT_OPS)))
            if rng.random() >= op_p:
                continue
            level = rng.uniform(0, m) if mstd > 100 else (rng.normal(m, mstd) if mstd > 0 else m)
            members[k].append(i)
            levels[k].append(min(mmax, max(0, level)))
        for k, op in enumerate(RAND_AUGMENT_OPS):
            if members[k]:
                idx = torch.as_tensor(members[k])
                x[idx] = op(x[idx], levels[k], rng)
    return x


def flip(x, rng, spec):
    chosen = torch.as_tensor(rng.random(x.shape[0]) < spec.get('p', 0.5))
    return torch.where(chosen.view(-1, 1, 1, 1), x.flip(-1), x)


def pad_crop(x, rng, spec):
    pad = spec.get('padding', 4)
    if spec.get('fillMode', 'constant') != 'constant' or spec.get('fill', 0) != 0:
        raise ValueError('the reference pads with 0 only')
    n, _, h, w = x.shape
    padded = F.pad(x, [pad, pad, pad, pad])
    d = rng.integers(-pad, pad + 1, size=(n, 2))  # (dx, dy): content moves right and down
    return torch.stack([padded[i, :, pad - d[i, 1]:pad - d[i, 1] + h, pad - d[i, 0]:pad - d[i, 0] + w] for i in range(n)])


def cutout(x, rng, spec):
    n, _, h, w = x.shape
    length = max(1, round(spec.get('size', 0.5) * min(h, w)))
    x = x.clone()
    for i in range(n):
        for _ in range(spec.get('holes', 1)):
            cy, cx = int(rng.integers(h)), int(rng.integers(w))
            top, left = cy - length // 2, cx - length // 2
            x[i, :, max(0, top):min(h, top + length), max(0, left):min(w, left + length)] = spec.get('fill', 0)
    return x


AUGMENTATIONS = {'flip': flip, 'pad-crop': pad_crop, 'rand-augment': rand_augment, 'cutout': cutout}


def augment(x, specs, rng):
    for spec in specs:
        spec = {'op': spec} if isinstance(spec, str) else spec
        if spec['op'] not in AUGMENTATIONS:
            raise ValueError(f'augmentation {spec["op"]}: the reference knows {", ".join(AUGMENTATIONS)}')
        if spec['op'] != 'flip' and spec.get('p', 1) < 1:
            raise ValueError(f'{spec["op"]} with p < 1 is not implemented in the reference')
        x = AUGMENTATIONS[spec['op']](x, rng, spec)
    return x


# ---------------------------------------------------------------- training

class Run:
    def __init__(self, recipe, data, split, seed):
        self.recipe, self.seed = recipe, seed
        self.rng = np.random.default_rng(seed)
        norm = split['normalization']
        self.mean, self.std = norm['mean'][0], norm['std'][0]
        self.labelled_x = to_unit(data['train_x'][split['labelled']])
        self.labelled_y = torch.as_tensor(data['train_y'][split['labelled']])
        if not np.array_equal(self.labelled_y.numpy(), np.asarray(split['labels'])):
            raise ValueError('the split file\'s labels differ from the dataset\'s')
        self.unlabelled_x = to_unit(data['train_x'][split['unlabelled']])
        self.test_x, self.test_y = to_unit(data['test_x']), torch.as_tensor(data['test_y'])
        self.steps = 0
        self.log_every = 0
        self.tracked = {}

    def normalize(self, x):
        return (x - self.mean) / self.std

    def loop(self, model, train, total_steps, step_fn):
        """Frugal's training loop: per-step cosine rate, SGD, EMA after each step, EMA committed at the end."""
        optimizer = make_optimizer(model, train['optimizer'])
        ema = WeightEma(model, train['emaDecay']) if train.get('emaDecay') else None
        base = train['optimizer'].get('lr', 0.05)
        model.train()
        losses = []
        for step in range(total_steps):
            for group in optimizer.param_groups:
                group['lr'] = base * lr_factor(train.get('schedule', {}), step, total_steps)
            loss = step_fn(step)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if ema:
                ema.update()
            self.steps += 1
            losses.append(float(loss))
            if self.log_every and (step + 1) % self.log_every == 0:
                extra = ''.join(f' {k} {np.mean(v[-self.log_every:]):.3f}' for k, v in self.tracked.items() if v)
                print(f'  step {step + 1}/{total_steps} loss {np.mean(losses[-self.log_every:]):.3f}{extra}', flush=True)
        if ema:
            ema.commit()

    def supervised(self, model, epochs, train, specs):
        n, bs = len(self.labelled_y), train['batchSize']
        per_epoch = math.ceil(n / bs)
        batches = []
        for _ in range(epochs):
            order = self.rng.permutation(n)
            batches += [order[s * bs:(s + 1) * bs] for s in range(per_epoch)]

        def step(i):
            idx = torch.as_tensor(batches[i])
            x = self.normalize(augment(self.labelled_x[idx], specs, self.rng))
            return F.cross_entropy(model(x), self.labelled_y[idx])

        self.loop(model, train, len(batches), step)

    def stream(self, n, count):
        """MixedBatchSource's stream: whole permutations one after another, the last one cut."""
        parts, filled = [], 0
        while filled < count:
            take = min(n, count - filled)
            parts.append(self.rng.permutation(n)[:take])
            filled += take
        return np.concatenate(parts)

    def mixed_indices(self, n_labelled, n_unlabelled, bl, bu, epochs, steps):
        out = []
        for _ in range(epochs):
            lab, unl = self.stream(n_labelled, steps * bl), self.stream(n_unlabelled, steps * bu)
            out += [(lab[s * bl:(s + 1) * bl], unl[s * bu:(s + 1) * bu]) for s in range(steps)]
        return out

    def fixmatch(self, model, train, p):
        weak_specs, strong_specs = p.get('weakAugment', self.recipe['augment']), p['strongAugment']
        if p.get('supervisedEpochs', 0) > 0:
            self.supervised(model, p['supervisedEpochs'], train, self.recipe['augment'])
        bl, bu = train['batchSize'], p.get('unlabelledRatio', 7) * train['batchSize']
        plan = self.mixed_indices(len(self.labelled_y), len(self.unlabelled_x), bl, bu, train['epochs'], p['stepsPerEpoch'])
        adaptive = SelfAdaptiveThreshold(10, p.get('thresholdMomentum', 0.999)) if p.get('confidenceThreshold', 0.95) == 'self-adaptive' else None
        threshold = adaptive or p.get('confidenceThreshold', 0.95)
        weight = p.get('unlabelledWeight', 1)
        self.mask_rates = []
        thresholds_seen = []
        self.tracked = {'threshold': thresholds_seen, 'maskRate': self.mask_rates}

        def step(i):
            li, ui = (torch.as_tensor(a) for a in plan[i])
            labelled = augment(self.labelled_x[li], weak_specs, self.rng)
            unlabelled = self.unlabelled_x[ui]
            weak = augment(unlabelled, weak_specs, self.rng)
            loss, mask_rate, mean_threshold = fixmatch_loss(
                model, self.normalize, labelled, self.labelled_y[li], weak, lambda: augment(unlabelled, strong_specs, self.rng), threshold, weight)
            self.mask_rates.append(mask_rate)
            thresholds_seen.append(mean_threshold)
            return loss

        self.loop(model, train, len(plan), step)

    @torch.no_grad()
    def predict(self, model, x, batch=1000):
        model.eval()
        out = torch.cat([model(self.normalize(x[i:i + batch])) for i in range(0, len(x), batch)])
        model.train()
        return out

    def self_training(self, train, p, method):
        """pseudo-label / noisy-student: teacher on the labelled images, then students from the teacher's weights."""
        teacher = build_model(self.recipe)
        self.supervised(teacher, p.get('teacherEpochs', train['epochs']), train, self.recipe['augment'])
        generations = [{'generation': 0, 'test': self.evaluate(teacher)['accuracy']}]
        rounds = p.get('rounds', 1) if method == 'pseudo-label' else p.get('iterations', 3)
        noise = p.get('noise', {}) if method == 'noisy-student' else {}
        for g in range(1, rounds + 1):
            probs = F.softmax(self.predict(teacher, self.unlabelled_x), dim=1)
            idx, targets = select_pseudo_labels(probs, p)
            extra = {k: noise[k] for k in ('dropout', 'stochasticDepthRate') if k in noise}
            student = build_model(self.recipe, extra)
            if p.get('studentInit', 'teacher') == 'teacher':
                student.load_state_dict(teacher.state_dict())
            specs = self.recipe['augment'] + noise.get('augment', [])
            bl = train['batchSize']
            bu = max(1, round(p.get('unlabelledRatio', 1) * bl))
            steps = p.get('stepsPerEpoch') or max(math.ceil(len(self.labelled_y) / bl), math.ceil(len(idx) / bu))
            plan = self.mixed_indices(len(self.labelled_y), len(idx), bl, bu, train['epochs'], steps)
            pseudo_x, pseudo_y = self.unlabelled_x[idx], targets
            w = p.get('unlabelledWeight', 1)

            def step(i, student=student, plan=plan, pseudo_x=pseudo_x, pseudo_y=pseudo_y):
                li, ui = (torch.as_tensor(a) for a in plan[i])
                x = augment(torch.cat([self.labelled_x[li], pseudo_x[ui]]), specs, self.rng)
                logits = student(self.normalize(x))
                return F.cross_entropy(logits[:bl], self.labelled_y[li]) + w * F.cross_entropy(logits[bl:], pseudo_y[ui])

            self.loop(student, train, len(plan), step)
            generations.append({'generation': g, 'test': self.evaluate(student)['accuracy'], 'kept': len(idx)})
            teacher = student
        return teacher, generations

    def evaluate(self, model):
        logits = self.predict(model, self.test_x)
        pred = logits.argmax(dim=1)
        confusion = torch.zeros(10, 10, dtype=torch.int64)
        confusion.index_put_((self.test_y, pred), torch.ones_like(pred), accumulate=True)
        return {'accuracy': float((pred == self.test_y).float().mean()), 'count': len(self.test_y), 'confusion': confusion.tolist()}


class SelfAdaptiveThreshold:
    """FreeMatch's self-adaptive threshold as Frugal's: EMAs of the mean top confidence and of the class probabilities, from 1/C."""

    def __init__(self, num_classes, momentum):
        self.momentum = momentum
        self.global_ = 1 / num_classes
        self.local = torch.full((num_classes,), 1 / num_classes)

    def update(self, probs):
        m = self.momentum
        self.global_ = m * self.global_ + (1 - m) * float(probs.max(dim=1).values.mean())
        self.local = m * self.local + (1 - m) * probs.mean(dim=0)

    def thresholds(self):
        return self.global_ * self.local / self.local.max()


def fixmatch_loss(model, normalize, labelled, labels, weak, strong_view, threshold, weight):
    """One FixMatch step's loss, as Frugal's prepare + loss: the weak views' forward pass in training
    mode (BatchNorm statistics move) gives pseudo-labels where the confidence reaches the threshold
    (a number, or a SelfAdaptiveThreshold updated first); then CE of the labelled rows + weight x mean
    over the unlabelled rows of mask x CE of the strong views. `strong_view()` makes the strong views."""
    with torch.no_grad():
        probs = F.softmax(model(normalize(weak)), dim=1)
    conf, pred = probs.max(dim=1)
    if isinstance(threshold, SelfAdaptiveThreshold):
        threshold.update(probs)
        per_class = threshold.thresholds()
        bar, mean_threshold = per_class[pred], float(per_class.mean())
    else:
        bar, mean_threshold = threshold, threshold
    mask = (conf >= bar).float()
    n = len(labels)
    logits = model(normalize(torch.cat([labelled, strong_view()])))
    loss = F.cross_entropy(logits[:n], labels) + weight * (F.cross_entropy(logits[n:], pred, reduction='none') * mask).mean()
    return loss, float(mask.mean()), mean_threshold


def select_pseudo_labels(probs, p):
    """Frugal's selectPseudoLabels for hard labels: threshold, then none / cap / top-k per predicted class."""
    if p.get('labels', 'hard') != 'hard':
        raise ValueError('the reference implements hard pseudo-labels only')
    conf, pred = probs.max(dim=1)
    conf, pred = conf.numpy(), pred.numpy()
    above = np.nonzero(conf >= p['confidenceThreshold'])[0]
    balance = p.get('balance', 'none')
    if balance == 'none':
        idx = above
    else:
        per_class = p.get('perClass') or max(1, round(len(above) / probs.shape[1]))
        idx = []
        for c in range(probs.shape[1]):
            cand = above[pred[above] == c]
            cand = cand[np.lexsort((cand, -conf[cand]))]  # most confident first, ties by index
            take = list(cand[:per_class])
            if balance == 'top-k' and len(take) > 0:
                k = 0
                while len(take) < per_class:
                    take.append(cand[k % len(cand)])
                    k += 1
            idx += take
        idx = np.asarray(idx, dtype=np.int64)
    return torch.as_tensor(idx), torch.as_tensor(pred[idx])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--recipe', required=True, help='a recipe file of export-split.mjs')
    ap.add_argument('--split', required=True, help='a split file of export-split.mjs')
    ap.add_argument('--seed', type=int, required=True)
    ap.add_argument('--out', default='runs/parity/torch.jsonl')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--log-every', type=int, default=0, help='print the mean loss (and FixMatch\'s threshold, mask rate) every N steps')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    with open(args.recipe) as f:
        exported = json.load(f)
    with open(args.split) as f:
        split = json.load(f)
    method, recipe, scale = exported['method'], exported['recipe'], exported['scale']
    if recipe['data']['dataset'] != split['dataset'] or recipe['data']['labelledPerClass'] != split['labelledPerClass']:
        raise ValueError('the recipe and the split are for different data')
    data = load_dataset(split['dataset'])
    run = Run(recipe, data, split, args.seed)
    run.log_every = args.log_every
    started, cpu0 = time.time(), resource.getrusage(resource.RUSAGE_SELF)
    train, strategy = recipe['train'], recipe['strategy']
    params = strategy.get('params', {})
    generations = None
    if strategy['name'] == 'supervised':
        model = build_model(recipe)
        run.supervised(model, train['epochs'], train, recipe['augment'])
    elif strategy['name'] == 'fixmatch':
        model = build_model(recipe)
        run.fixmatch(model, train, params)
    elif strategy['name'] in ('pseudo-label', 'noisy-student'):
        if strategy['name'] == 'noisy-student' and params.get('teacherNoise', False):
            raise ValueError('teacherNoise is not implemented in the reference')
        model, generations = run.self_training(train, params, strategy['name'])
    else:
        raise ValueError(f'strategy {strategy["name"]} is not in the reference')
    evaluation = run.evaluate(model)
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    record = {
        'framework': 'pytorch', 'dataset': split['dataset'], 'method': method, 'seed': args.seed,
        'accuracy': evaluation['accuracy'], 'testImages': evaluation['count'], 'confusion': evaluation['confusion'],
        'labelled': len(split['labelled']), 'unlabelled': len(split['unlabelled']), 'steps': run.steps,
        'seconds': time.time() - started, 'cpuSeconds': cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime,
        'peakMB': cpu1.ru_maxrss / 1024,  # the process's peak resident memory (kilobytes on Linux)
        'scale': scale, 'backend': f'torch {torch.__version__} cpu, {args.threads} thread(s)', 'generations': generations,
        'maskRate': float(np.mean(run.mask_rates[-100:])) if getattr(run, 'mask_rates', None) else None,
        'recipe': recipe, 'time': datetime.datetime.now(datetime.timezone.utc).isoformat(),
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, 'a') as f:
        f.write(json.dumps(record) + '\n')
    print(f'{method} seed {args.seed}: test accuracy {100 * record["accuracy"]:.2f}% on {record["testImages"]} images, '
          f'{record["steps"]} steps, {record["seconds"]:.0f} s wall, {record["cpuSeconds"]:.0f} s CPU')


if __name__ == '__main__':
    main()
