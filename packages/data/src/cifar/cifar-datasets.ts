/** A CIFAR dataset in its binary version (the one "suitable for C programs"): records of label bytes then 32×32×3 planar pixels. */
export interface CifarDatasetDescriptor {
  readonly name: string;
  readonly description: string;
  /** The archive as served, e.g. `cifar-10-binary.tar.gz`. */
  readonly archive: string;
  /** Base URLs the archive name is appended to, tried in order. */
  readonly mirrors: readonly string[];
  /** The folder the archive unpacks to, holding the batch files. */
  readonly folder: string;
  readonly trainFiles: readonly string[];
  readonly testFiles: readonly string[];
  /** Label bytes before each image; `labelByte` of them is the class (CIFAR-100: coarse then fine). */
  readonly labelBytes: number;
  readonly labelByte: number;
  /** The class-name file inside `folder` (one name a line), read when present. */
  readonly namesFile: string;
  /** The classes, used where the folder has no `namesFile`. */
  readonly classNames: readonly string[];
}

/** Krizhevsky's CIFAR-10: 50,000 training and 10,000 test colour images, 32×32, 10 classes. */
export const CIFAR10: CifarDatasetDescriptor = {
  name: 'cifar10',
  description: 'CIFAR-10 colour images, 50,000 + 10,000 images 32×32, 10 classes (binary version: dir, cache or download)',
  archive: 'cifar-10-binary.tar.gz',
  mirrors: ['https://www.cs.toronto.edu/~kriz/'],
  folder: 'cifar-10-batches-bin',
  trainFiles: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  testFiles: ['test_batch.bin'],
  labelBytes: 1,
  labelByte: 0,
  namesFile: 'batches.meta.txt',
  classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
};

/** Krizhevsky's CIFAR-100: as CIFAR-10 with 100 fine classes (the 20 coarse labels are read past). */
export const CIFAR100: CifarDatasetDescriptor = {
  name: 'cifar100',
  description: 'CIFAR-100 colour images, 50,000 + 10,000 images 32×32, 100 classes (binary version: dir, cache or download)',
  archive: 'cifar-100-binary.tar.gz',
  mirrors: ['https://www.cs.toronto.edu/~kriz/'],
  folder: 'cifar-100-binary',
  trainFiles: ['train.bin'],
  testFiles: ['test.bin'],
  labelBytes: 2,
  labelByte: 1,
  namesFile: 'fine_label_names.txt',
  classNames: [
    'apple', 'aquarium_fish', 'baby', 'bear', 'beaver', 'bed', 'bee', 'beetle', 'bicycle', 'bottle',
    'bowl', 'boy', 'bridge', 'bus', 'butterfly', 'camel', 'can', 'castle', 'caterpillar', 'cattle',
    'chair', 'chimpanzee', 'clock', 'cloud', 'cockroach', 'couch', 'crab', 'crocodile', 'cup', 'dinosaur',
    'dolphin', 'elephant', 'flatfish', 'forest', 'fox', 'girl', 'hamster', 'house', 'kangaroo', 'keyboard',
    'lamp', 'lawn_mower', 'leopard', 'lion', 'lizard', 'lobster', 'man', 'maple_tree', 'motorcycle', 'mountain',
    'mouse', 'mushroom', 'oak_tree', 'orange', 'orchid', 'otter', 'palm_tree', 'pear', 'pickup_truck', 'pine_tree',
    'plain', 'plate', 'poppy', 'porcupine', 'possum', 'rabbit', 'raccoon', 'ray', 'road', 'rocket',
    'rose', 'sea', 'seal', 'shark', 'shrew', 'skunk', 'skyscraper', 'snail', 'snake', 'spider',
    'squirrel', 'streetcar', 'sunflower', 'sweet_pepper', 'table', 'tank', 'telephone', 'television', 'tiger', 'tractor',
    'train', 'trout', 'tulip', 'turtle', 'wardrobe', 'whale', 'willow_tree', 'wolf', 'woman', 'worm',
  ],
};
