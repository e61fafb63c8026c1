import type { Normalization } from '@frugal/core';

/** One file of an IDX dataset as its mirrors serve it. */
export interface IdxFileSpec {
  /** File name on the mirrors, e.g. `train-images-idx3-ubyte.gz`. */
  readonly name: string;
  /** Size in bytes as served. */
  readonly size?: number;
  /** SHA-256 of the file as served (checks a download). */
  readonly sha256?: string;
  /**
   * SHA-256 of the decompressed IDX bytes: checks any copy, however it was compressed (Debian,
   * for one, recompresses the `.gz` files it ships, so their own hashes differ from the mirrors').
   */
  readonly contentSha256?: string;
}

/** An IDX dataset (the MNIST family): its files, classes, statistics and where to find it. */
export interface IdxDatasetDescriptor {
  readonly name: string;
  readonly description: string;
  readonly classNames: readonly string[];
  /** Mean and standard deviation of the training pixels, on the [0, 1] scale. */
  readonly normalization: Normalization;
  readonly train: { readonly images: IdxFileSpec; readonly labels: IdxFileSpec };
  readonly test: { readonly images: IdxFileSpec; readonly labels: IdxFileSpec };
  /** Base URLs the file names are appended to, tried in order. */
  readonly mirrors: readonly string[];
  /** Folders where system packages install the files, looked at before any download. */
  readonly localDirs: readonly string[];
}

/** LeCun, Cortes and Burges' handwritten digits: 60,000 training and 10,000 test images, 28×28 grey. */
export const MNIST: IdxDatasetDescriptor = {
  name: 'mnist-idx',
  description: 'MNIST handwritten digits, 60,000 + 10,000 images 28×28 (IDX files: local copy or download)',
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  normalization: { mean: [0.1307], std: [0.3081] },
  train: {
    images: {
      name: 'train-images-idx3-ubyte.gz',
      size: 9912422,
      sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
    },
    labels: {
      name: 'train-labels-idx1-ubyte.gz',
      size: 28881,
      sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
    },
  },
  test: {
    images: {
      name: 't10k-images-idx3-ubyte.gz',
      size: 1648877,
      sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
    },
    labels: {
      name: 't10k-labels-idx1-ubyte.gz',
      size: 4542,
      sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
    },
  },
  mirrors: [
    'https://ossci-datasets.s3.amazonaws.com/mnist/',
    'https://storage.googleapis.com/cvdf-datasets/mnist/',
    'http://yann.lecun.com/exdb/mnist/',
  ],
  localDirs: [],
};

/** Zalando's Fashion-MNIST: clothing in the MNIST format, 60,000 + 10,000 images 28×28 grey. */
export const FASHION_MNIST: IdxDatasetDescriptor = {
  name: 'fashion-mnist',
  description: 'Fashion-MNIST clothing images, 60,000 + 10,000 images 28×28 (Debian dataset-fashion-mnist, else download)',
  classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  normalization: { mean: [0.286], std: [0.353] },
  train: {
    images: {
      name: 'train-images-idx3-ubyte.gz',
      size: 26421880,
      contentSha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
    },
    labels: {
      name: 'train-labels-idx1-ubyte.gz',
      size: 29515,
      contentSha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
    },
  },
  test: {
    images: {
      name: 't10k-images-idx3-ubyte.gz',
      size: 4422102,
      contentSha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
    },
    labels: {
      name: 't10k-labels-idx1-ubyte.gz',
      size: 5148,
      contentSha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
    },
  },
  mirrors: [
    'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
    'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
  ],
  localDirs: ['/usr/share/datasets/fashion-mnist'],
};
