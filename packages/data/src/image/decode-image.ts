import { readFile } from 'node:fs/promises';
import type { Sharp } from 'sharp';
import type { DecodeParams } from './decode-options.js';

/** A file sharp could not read as an image; `reason` is the decoder's own message. */
export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.trim() || 'unknown decoder error';
}

/**
 * The size an image of `w0 × h0` is scaled to so that its shorter side is `shorter`, as
 * torchvision's `Resize(shorter)` computes it: the longer side truncated, not rounded (never
 * below the crop).
 */
export function shorterSideSize(w0: number, h0: number, shorter: number, width: number, height: number): [number, number] {
  const [w, h] = w0 <= h0 ? [shorter, Math.floor((shorter * h0) / w0)] : [Math.floor((shorter * w0) / h0), shorter];
  return [Math.max(width, w), Math.max(height, h)];
}

/** The offset of a centred crop of `inner` in `outer`, as torchvision's `CenterCrop` rounds it: half to even. */
export function centreOffset(outer: number, inner: number): number {
  const half = (outer - inner) / 2;
  const floor = Math.floor(half);
  return half - floor === 0.5 && floor % 2 === 0 ? floor : Math.round(half);
}

/**
 * Decodes one image file into `height × width × channels` uint8 pixels: EXIF orientation applied,
 * alpha dropped, converted to sRGB or grayscale, resized by the policy. Any warning from the
 * decoder (a truncated or corrupt file) is an error.
 */
export async function decodeImage(file: string, params: DecodeParams): Promise<Uint8Array> {
  const { height, width, kernel } = params;
  const { default: sharp } = await import('sharp'); // on first use: a command that touches no image starts without libvips
  try {
    let input: string | Buffer = file;
    let pipeline: Sharp;
    if (params.resize === 'exact') {
      pipeline = sharp(input, { autoOrient: true, failOn: 'warning' }).resize(width, height, { fit: 'fill', kernel });
    } else if (params.shorterSide === undefined) {
      pipeline = sharp(input, { autoOrient: true, failOn: 'warning' }).resize(width, height, {
        fit: 'cover',
        position: 'centre',
        kernel,
      });
    } else {
      // Scale the shorter side to `shorterSide`, then crop the centre: needs the (oriented) size first.
      input = await readFile(file);
      const meta = await sharp(input, { autoOrient: true, failOn: 'warning' }).metadata();
      const [rw, rh] = shorterSideSize(meta.autoOrient?.width ?? meta.width, meta.autoOrient?.height ?? meta.height, params.shorterSide, width, height);
      pipeline = sharp(input, { autoOrient: true, failOn: 'warning' })
        .resize(rw, rh, { fit: 'fill', kernel })
        .extract({ left: centreOffset(rw, width), top: centreOffset(rh, height), width, height });
    }
    pipeline = pipeline.removeAlpha().toColourspace(params.channels === 1 ? 'b-w' : 'srgb');
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.width !== width || info.height !== height || info.channels !== params.channels) {
      throw new Error(
        `decoded to ${info.height}×${info.width}×${info.channels}, expected ${height}×${width}×${params.channels}`,
      );
    }
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } catch (error) {
    throw new ImageDecodeError(file, reasonOf(error));
  }
}
