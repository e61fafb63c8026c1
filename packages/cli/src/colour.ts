/**
 * Colours for the terminal, and only there: on a TTY that has colours, unless NO_COLOR is set
 * (https://no-color.org); FORCE_COLOR=1 forces them (FORCE_COLOR=0 turns them off), as commander
 * and most tools read it.
 */
export function hasColours(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force === '0' || force === 'false') return false;
  if (force !== undefined) return true;
  return Boolean(stream.isTTY) && (stream.hasColors?.() ?? false);
}

export interface Palette {
  red(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

/** ANSI styles when `stream` shows colours, else the text unchanged. */
export function palette(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Palette {
  if (!hasColours(stream, env)) return { red: plain, bold: plain, dim: plain, green: plain, cyan: plain };
  return { red: sgr(31, 39), bold: sgr(1, 22), dim: sgr(2, 22), green: sgr(32, 39), cyan: sgr(36, 39) };
}
