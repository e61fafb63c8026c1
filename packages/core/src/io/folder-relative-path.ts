/**
 * A file's path inside a folder as a list names it (`cats/001.jpg`): `/` between names, no leading
 * `./`; undefined when it would lead out of the folder (absolute, a drive, or through `..`).
 */
export function folderRelativePath(value: string): string | undefined {
  const file = value.trim().replaceAll('\\', '/').replace(/^(\.\/)+/, '');
  if (file === '' || file.startsWith('/') || /^[A-Za-z]:/.test(file) || file.split('/').includes('..')) return undefined;
  return file;
}
