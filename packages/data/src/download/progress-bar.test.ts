import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { byteProgress } from './progress-bar.js';

/** A stream that says it is a terminal, recording what is written. */
function fakeTerminal(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = Object.assign(new PassThrough(), {
    isTTY: true,
    columns: 100,
    cursorTo: (_x: number, _y?: unknown, done?: () => void) => (done?.(), true),
    clearLine: (_dir: number, done?: () => void) => (done?.(), true),
    moveCursor: (_dx: number, _dy: number, done?: () => void) => (done?.(), true),
    clearScreenDown: (done?: () => void) => (done?.(), true),
  });
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

describe('byteProgress', () => {
  it('draws a bar with megabytes on a terminal', async () => {
    const { stream, text } = fakeTerminal();
    const bar = byteProgress('train-images.gz', stream);
    bar.start(4 * 1048576, 1048576);
    bar.update(4 * 1048576);
    bar.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(text()).toContain('train-images.gz');
    expect(text()).toContain('100% | 4.0/4.0 MB');
  });

  it('stays quiet when the stream is not a terminal', async () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let written = 0;
    stream.on('data', () => written++);
    const bar = byteProgress('x', stream);
    bar.start(10, 0);
    bar.update(10);
    bar.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toBe(0);
  });
});
