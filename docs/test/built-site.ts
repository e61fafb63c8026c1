import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

export const docsDir = join(import.meta.dirname, '..');
export const siteDir = join(docsDir, '.vitepress', 'dist');

/** The built site; built here when absent (CI builds it in `npm run build`). */
export function ensureBuiltSite(): string {
  if (!existsSync(join(siteDir, 'index.html'))) {
    const build = spawnSync('npm', ['run', 'build'], { cwd: docsDir, encoding: 'utf8', stdio: 'pipe' });
    if (build.status !== 0) throw new Error(`npm run build in docs/ failed:\n${build.stdout}\n${build.stderr}`);
  }
  return siteDir;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain',
};

/** Serves `root` on 127.0.0.1 (a free port) the way a static host serves a VitePress site. */
export async function serveStatic(root: string): Promise<{ url: string; close: () => Promise<void>; missing: string[] }> {
  const missing: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    const safe = normalize(path).replace(/^(\.\.[/\\])+/, '');
    const candidates = [join(root, safe), join(root, safe, 'index.html'), join(root, `${safe}.html`)];
    const file = candidates.find((f) => f.startsWith(root) && existsSync(f) && statSync(f).isFile());
    if (!file) {
      missing.push(path);
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the static server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    missing,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
