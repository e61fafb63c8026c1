#!/usr/bin/env node
// Builds the oneDNN addon with node-gyp. With --optional (npm's install step) a machine without
// oneDNN gets a one-line notice and a successful install; the package then reports itself
// unavailable and Frugal uses its wasm backend.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const optional = process.argv.includes('--optional');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// oneDNN 2 or 3: where the distribution's libdnnl-dev puts it, or under DNNLROOT (the variable
// oneAPI's setvars.sh sets; any prefix with include/ and lib/, as oneDNN's own cmake install
// writes). FRUGAL_DNNL_HEADER points elsewhere, for tests.
const prefix = process.env.DNNLROOT || undefined;
const header = process.env.FRUGAL_DNNL_HEADER ?? join(prefix ?? '/usr', 'include', 'oneapi', 'dnnl', 'dnnl.hpp');
const libDir = prefix && ['lib', 'lib64', join('lib', 'x86_64-linux-gnu')].map((d) => join(prefix, d)).find((d) => existsSync(join(d, 'libdnnl.so')));

if (!existsSync(header) || (prefix && !libDir)) {
  const what = existsSync(header) ? `no libdnnl.so in ${prefix}/lib or lib64` : header;
  const line = `@frugal/runtime-native: oneDNN not found (${what}); the native backend is off. To enable it: apt-get install -y libdnnl-dev (or set DNNLROOT to a oneDNN install), then npm run build:addon -w @frugal/runtime-native`;
  if (optional) {
    console.log(line);
    process.exit(0);
  }
  console.error(line);
  process.exit(2);
}

// npm's own node-gyp, else one on the PATH.
function nodeGyp() {
  try {
    const npmDir = dirname(createRequire(import.meta.url).resolve('npm/package.json', { paths: [dirname(process.execPath), '/usr/lib/node_modules'] }));
    const script = join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (existsSync(script)) return [process.execPath, script];
  } catch {
    // fall through
  }
  return ['node-gyp'];
}

// Node's own headers where they are installed beside it (no download needed).
function nodeDirArgs() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = join(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
}

// binding.gyp reads the prefix's include and lib folders (the addon then finds the library there at run time).
const env = prefix ? { ...process.env, FRUGAL_DNNL_INCLUDE_DIR: join(prefix, 'include'), FRUGAL_DNNL_LIB_DIR: libDir } : process.env;
const [command, ...gyp] = nodeGyp();
const result = spawnSync(command, [...gyp, 'rebuild', '--jobs', 'max', ...nodeDirArgs()], { cwd: root, env, stdio: optional ? 'pipe' : 'inherit', encoding: 'utf8' });
if (result.status !== 0) {
  const why = result.error?.message ?? `node-gyp exited with ${result.status}`;
  if (optional) {
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ');
    console.log(`@frugal/runtime-native: the addon did not build (${why}: ${tail}); the native backend is off. Run npm run build:addon -w @frugal/runtime-native to see the full error.`);
    process.exit(0);
  }
  console.error(`@frugal/runtime-native: the addon did not build (${why}).`);
  process.exit(1);
}
