// Decode + resize throughput of @frugal/data's image-folder loader against sharp's own bare loop
// on the same files in the same run; then the cached second epoch (memory, then disk).
//   npx nx build @frugal/data && nice node tools/bench/data/bench.mjs
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { loadImageFolder, MemoryImageCache } from '@frugal/data';

const { values: args } = parseArgs({
  options: {
    images: { type: 'string', default: '2000' },
    source: { type: 'string', default: '256' },
    size: { type: 'string', default: '64' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string' },
    dir: { type: 'string' },
  },
});
const count = Number(args.images);
const source = Number(args.source);
const size = Number(args.size);
const rounds = Number(args.rounds);
const concurrency = Number(args.concurrency ?? Math.max(4, os.availableParallelism()));
const classes = 10;

/** A photo-like test image: smooth colour gradients, a few shapes and noise, so JPEG has work to do. */
function syntheticImage(index) {
  const pixels = Buffer.alloc(source * source * 3);
  let seed = (index + 1) * 2654435761;
  const random = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 2 ** 32);
  const cx = random() * source;
  const cy = random() * source;
  const r = source * (0.15 + random() * 0.25);
  const hue = [random() * 255, random() * 255, random() * 255];
  for (let y = 0; y < source; y++) {
    for (let x = 0; x < source; x++) {
      const inside = (x - cx) ** 2 + (y - cy) ** 2 < r * r;
      const at = (y * source + x) * 3;
      for (let c = 0; c < 3; c++) {
        const base = inside ? hue[c] : ((x + y * (c + 1)) * 255) / (source * (c + 2));
        pixels[at + c] = Math.max(0, Math.min(255, base + (random() - 0.5) * 40));
      }
    }
  }
  return pixels;
}

async function generate(dir) {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const file = path.join(dir, `class-${i % classes}`, `${String(i).padStart(5, '0')}.jpg`);
        await sharp(syntheticImage(i), { raw: { width: source, height: source, channels: 3 } }).jpeg({ quality: 90 }).toFile(file);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

/** sharp's bare decode-resize loop: the same files, the same concurrency, nothing else. */
async function bareSharp(files) {
  let next = 0;
  let bytes = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < files.length) {
        const data = await sharp(files[next++]).resize(size, size).raw().toBuffer();
        bytes += data.length;
      }
    }),
  );
  if (bytes !== files.length * size * size * 3) throw new Error(`bare loop produced ${bytes} bytes`);
}

async function timed(run) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6, result };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const root = args.dir ? path.resolve(args.dir) : await mkdtemp(path.join(os.tmpdir(), 'frugal-bench-data-'));
const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'frugal-bench-decoded-'));
try {
  sharp.cache(false); // no libvips operation cache for either side
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, ${os.availableParallelism()} CPUs, sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}), concurrency ${concurrency}`);
  for (let c = 0; c < classes; c++) await mkdir(path.join(root, `class-${c}`), { recursive: true });
  const generated = await generate(root);
  console.log(`generated ${count} JPEGs ${source}×${source} in ${generated.toFixed(1)} s under ${root}`);

  const quiet = { size, resize: 'exact', concurrency, log: () => {} };
  const warm = await loadImageFolder(root, quiet); // page cache, JIT
  const files = warm.images.origins;
  await bareSharp(files);

  const bare = [];
  const loader = [];
  const memory = [];
  for (let r = 0; r < rounds; r++) {
    bare.push(await timed(() => bareSharp(files)));
    const memoryCache = new MemoryImageCache();
    const first = await timed(() => loadImageFolder(root, { ...quiet, memoryCache }));
    if (first.result.stats.decoded !== count) throw new Error('first epoch did not decode every image');
    loader.push(first);
    const second = await timed(() => loadImageFolder(root, { ...quiet, memoryCache }));
    if (second.result.stats.memoryHits !== count) throw new Error('second epoch missed the memory cache');
    memory.push(second);
  }
  const disk = [];
  const fill = await timed(() => loadImageFolder(root, { ...quiet, diskCache: cacheDir }));
  for (let r = 0; r < rounds; r++) {
    const run = await timed(() => loadImageFolder(root, { ...quiet, diskCache: cacheDir, memoryCache: new MemoryImageCache() }));
    if (run.result.stats.diskHits !== count) throw new Error('disk-cached run missed the cache');
    disk.push(run);
  }

  const rate = (runs) => count / median(runs.map((r) => r.seconds));
  const perCpu = (runs) => count / median(runs.map((r) => r.cpuSeconds));
  const rows = [
    ['sharp bare loop (reference)', bare],
    ['loader, first epoch', loader],
    ['loader, first epoch + disk cache write', [fill]],
    ['loader, second epoch (memory cache)', memory],
    ['loader, next run (disk cache)', disk],
  ];
  console.log(`\n${count} images ${source}×${source} JPEG -> ${size}×${size}×3, median of ${rounds} rounds`);
  console.log('| run | images/s | images per CPU-second |');
  console.log('|---|---:|---:|');
  for (const [name, runs] of rows) console.log(`| ${name} | ${rate(runs).toFixed(0)} | ${perCpu(runs).toFixed(0)} |`);
  // Each round's loader run against the bare run just before it: other load drifts less within a pair.
  const paired = loader.map((run, r) => bare[r].seconds / run.seconds);
  const pairedCpu = loader.map((run, r) => bare[r].cpuSeconds / run.cpuSeconds);
  const ratio = median(paired);
  const cpuRatio = median(pairedCpu);
  const list = (xs) => xs.map((x) => x.toFixed(2)).join(', ');
  console.log(`\nloader / bare sharp, first epoch, per round: ${list(paired)} wall clock; ${list(pairedCpu)} per CPU-second`);
  console.log(`median: ${ratio.toFixed(2)}× wall clock, ${cpuRatio.toFixed(2)}× per CPU-second (target >= 0.8×)`);
  console.log(
    JSON.stringify({
      images: count,
      bareImagesPerSecond: Math.round(rate(bare)),
      loaderImagesPerSecond: Math.round(rate(loader)),
      ratio: Number(ratio.toFixed(3)),
      cpuRatio: Number(cpuRatio.toFixed(3)),
      memoryCachedImagesPerSecond: Math.round(rate(memory)),
      diskCachedImagesPerSecond: Math.round(rate(disk)),
    }),
  );
} finally {
  if (!args.dir) await rm(root, { recursive: true, force: true });
  await rm(cacheDir, { recursive: true, force: true });
}
