import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a path prefix behaves: served properly, cut off once, broken, or failing. */
export type Behaviour = 'ok' | 'truncate-once' | 'no-range' | 'corrupt' | 'error' | 'missing';

export interface FileServer {
  /** `http://127.0.0.1:<port>/<behaviour>/` */
  base(behaviour: Behaviour): string;
  /** Every request received: path and Range header. */
  readonly requests: { path: string; range?: string }[];
  close(): Promise<void>;
}

function serve(req: IncomingMessage, res: ServerResponse, body: Buffer, ranges: boolean): void {
  const match = ranges ? /^bytes=(\d+)-$/.exec(req.headers.range ?? '') : null;
  if (match) {
    const start = Number(match[1]);
    if (start >= body.length) {
      res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
      return;
    }
    res.writeHead(206, {
      'content-length': body.length - start,
      'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
      'accept-ranges': 'bytes',
    });
    res.end(body.subarray(start));
    return;
  }
  res.writeHead(200, { 'content-length': body.length, 'accept-ranges': ranges ? 'bytes' : 'none' });
  res.end(body);
}

/** An HTTP server on 127.0.0.1 serving `files` by name under each behaviour's prefix. */
export async function startFileServer(files: Record<string, Buffer>): Promise<FileServer> {
  const requests: { path: string; range?: string }[] = [];
  const cut = new Set<string>();
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push({ path: url, ...(req.headers.range ? { range: req.headers.range } : {}) });
    const [, behaviour, name] = url.split('/') as [string, Behaviour, string];
    const body = files[name];
    if (!body || behaviour === 'missing') {
      res.writeHead(404, 'Not Found').end();
      return;
    }
    switch (behaviour) {
      case 'error':
        res.writeHead(500, 'Internal Server Error').end('boom');
        return;
      case 'corrupt': {
        const copy = Buffer.from(body);
        copy[copy.length >> 1] = (copy[copy.length >> 1] as number) ^ 0xff;
        serve(req, res, copy, true);
        return;
      }
      case 'no-range':
        serve(req, res, body, false);
        return;
      case 'truncate-once':
        if (!cut.has(name)) {
          cut.add(name);
          // Promise the whole file, send less than half, then close the connection.
          res.writeHead(200, { 'content-length': body.length, 'accept-ranges': 'bytes' });
          res.write(body.subarray(0, Math.floor(body.length * 0.4)), () => res.socket?.end());
          return;
        }
        serve(req, res, body, true);
        return;
      default:
        serve(req, res, body, true);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: (behaviour) => `http://127.0.0.1:${port}/${behaviour}/`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
