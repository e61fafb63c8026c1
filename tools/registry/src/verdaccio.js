// A Verdaccio registry on 127.0.0.1, in a folder of its own: our packages are served only from
// its storage (never proxied), everything else is proxied from the registry npm is configured with.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The registry npm uses here (a mirror where one is configured), which Verdaccio proxies. */
export function upstreamRegistry() {
  return execFileSync('npm', ['config', 'get', 'registry'], { cwd: tmpdir(), encoding: 'utf8' }).trim() || 'https://registry.npmjs.org/';
}

function config({ storage, upstream }) {
  return `storage: ${JSON.stringify(storage)}
auth:
  htpasswd:
    file: ${JSON.stringify(join(storage, 'htpasswd'))}
    max_users: 10
    # a throwaway registry: the cheapest bcrypt, so that each authenticated request stays fast
    rounds: 4
uplinks:
  upstream:
    url: ${JSON.stringify(upstream)}
    timeout: 120s
    max_fails: 5
packages:
  '@frugal/*':
    access: $all
    publish: $authenticated
  '@acme/*':
    access: $all
    publish: $authenticated
  '**':
    access: $all
    publish: $authenticated
    proxy: upstream
server:
  keepAliveTimeout: 60
max_body_size: 200mb
publish:
  allow_offline: true
log: { type: stdout, format: pretty, level: warn }
`;
}

/** How a kept-alive socket that the server has closed fails when it is reused. */
const CLOSED_SOCKET = new Set(['UND_ERR_SOCKET', 'EPIPE', 'ECONNRESET']);

/**
 * A GET that tries again on a closed socket: after a long publish (or on a loaded machine) a
 * kept-alive socket may have been closed by the server, and reusing it fails; the next try opens
 * another.
 */
async function fetchFresh(url) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, { headers: { accept: 'application/json' } });
    } catch (error) {
      if (attempt === 3 || !CLOSED_SOCKET.has(error?.cause?.code)) throw error;
    }
  }
}

/**
 * Starts Verdaccio in `dir` and waits until it answers. Returns its URL, a token for publishing,
 * and `stop()`.
 */
export async function startVerdaccio(dir) {
  const storage = join(dir, 'storage');
  mkdirSync(storage, { recursive: true });
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, config({ storage, upstream: upstreamRegistry() }));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const bin = join(dirname(require.resolve('verdaccio/package.json')), 'bin', 'verdaccio');
  const child = spawn(process.execPath, [bin, '--config', configFile, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Verdaccio exited with ${child.exitCode} before it answered:\n${log}`);
    try {
      const r = await fetch(`${url}-/ping`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Verdaccio did not answer on ${url} within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // A user for publishing (htpasswd registration), as `npm adduser` would create one.
  const user = await fetch(`${url}-/user/org.couchdb.user:frugal`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'frugal', password: 'frugal-local-registry', email: 'frugal@127.0.0.1', type: 'user' }),
  });
  if (!user.ok) {
    await stop();
    throw new Error(`Verdaccio refused to create the publishing user: ${user.status} ${await user.text()}`);
  }
  const { token } = await user.json();
  return { url, token, stop, log: () => log, fetch: (path) => fetchFresh(`${url}${path}`) };
}
