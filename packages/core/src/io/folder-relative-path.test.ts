import { describe, expect, it } from 'vitest';
import { folderRelativePath } from './folder-relative-path.js';

describe('folderRelativePath', () => {
  it.each([
    ['cats/001.jpg', 'cats/001.jpg'],
    ['./cats/001.jpg', 'cats/001.jpg'],
    ['cats\\001.jpg', 'cats/001.jpg'],
    [' a b/c.png ', 'a b/c.png'],
    ['x..y/z.png', 'x..y/z.png'],
  ])('keeps %j inside the folder as %j', (value, path) => expect(folderRelativePath(value)).toBe(path));

  it.each(['../secret.png', 'cats/../../x.png', '/etc/passwd', 'C:/Windows/x.png', 'c:\\x.png', '', './'])('refuses %j', (value) => {
    expect(folderRelativePath(value)).toBeUndefined();
  });
});
