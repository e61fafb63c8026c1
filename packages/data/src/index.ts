export { data } from './plugin.js';
export type { DataOptions } from './plugin.js';

export { loadImageFolder, loadUnlabelledFolder } from './image/load-image-folder.js';
export type { ImageFolderOptions, LoadedImages } from './image/load-image-folder.js';
export { loadImageFolderSource, loadUnlabelledFolderSource } from './image/image-folder-source.js';
export type { ImageFolderSourceOptions } from './image/image-folder-source.js';
export { decodeImage, ImageDecodeError } from './image/decode-image.js';
export { decodeParams, imageDecodingOf, modelDecodeParams } from './image/decode-options.js';
export type { DecodeOptions, DecodeParams, ResizePolicy, ColorMode, ResizeKernel } from './image/decode-options.js';
export { decodeImages } from './image/decode-images.js';
export type { DecodeImagesOptions, DecodedImages, DecodeStats, SkippedImage } from './image/decode-images.js';
export { MemoryImageCache } from './image/memory-image-cache.js';
export { DiskImageCache } from './image/disk-image-cache.js';
export { listImages, listClassFolders } from './image/list-images.js';
export { IMAGE_EXTENSIONS } from './image/image-extensions.js';

export { readIdx, readIdxBytes, parseIdx } from './idx/read-idx.js';
export type { IdxArray, IdxType, IdxData } from './idx/read-idx.js';
export { idxImageSet } from './idx/idx-image-set.js';
export { loadIdxDataset, loadIdxFiles, loadMnistIdx, loadFashionMnist } from './idx/load-idx-dataset.js';
export type { IdxDatasetOptions, IdxFilesOptions } from './idx/load-idx-dataset.js';
export { MNIST, FASHION_MNIST } from './idx/idx-datasets.js';
export type { IdxDatasetDescriptor, IdxFileSpec } from './idx/idx-datasets.js';

export { loadCifarDataset } from './cifar/load-cifar-dataset.js';
export type { CifarDatasetOptions } from './cifar/load-cifar-dataset.js';
export type { DatasetDownloadOptions } from './download/dataset-download.js';
export { CIFAR10, CIFAR100 } from './cifar/cifar-datasets.js';
export type { CifarDatasetDescriptor } from './cifar/cifar-datasets.js';
export { cifarImageSet } from './cifar/read-cifar.js';
export type { CifarBatch, CifarLayout } from './cifar/read-cifar.js';

export { loadMnist } from './mnist/load-mnist.js';
export type { EmbeddedMnistOptions } from './mnist/load-mnist.js';

export { downloadFile, DownloadError } from './download/download-file.js';
export type { DownloadOptions, DownloadResult } from './download/download-file.js';
export { sha256File } from './download/hash-file.js';

export { channelStats } from './stats/channel-stats.js';
export { checkClassCount } from './check-class-count.js';
export { defaultCacheDir } from './cache-dir.js';

export { readImageManifest } from './stream/image-manifest.js';
export type { ImageManifest } from './stream/image-manifest.js';
export { entryFile } from './stream/manifest-entry.js';
export type { ManifestEntry } from './stream/manifest-entry.js';
export { streamImageBatches } from './stream/stream-image-batches.js';
export type { ImageBatch, ImageBatchStreamOptions } from './stream/stream-image-batches.js';
export { DecodePool } from './stream/decode-pool.js';
export { decodeParamsKey } from './image/decode-options.js';
export { StreamedFolder } from './stream/streamed-folder.js';
export type { StreamedFolderOptions } from './stream/streamed-folder.js';
