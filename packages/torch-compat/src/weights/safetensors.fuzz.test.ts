import fc from 'fast-check';
import { fuzzParameters, resultOrInputError } from '@frugal/core/testing';
import { describe, it } from 'vitest';
import { encodeSafetensors, SafetensorsFile } from './safetensors.js';

/** Parses bytes and, when they parse, reads every tensor the way weight import does. */
async function readAll(bytes: Uint8Array): Promise<void> {
  await resultOrInputError(() => {
    const file = SafetensorsFile.fromBytes(bytes, 'fuzz.safetensors');
    for (const name of file.names()) {
      file.info(name);
      file.bytes(name);
      file.read(name);
    }
  });
}

/** A header length, then `header` as UTF-8, then `payload`. */
function withHeader(header: string, payload: Uint8Array): Uint8Array {
  const text = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + text.length + payload.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  out.set(payload, 8 + text.length);
  return out;
}

const dtype = fc.constantFrom('F32', 'F16', 'BF16', 'F64', 'I64', 'I32', 'U8', 'BOOL', 'F8_E4M3', 'Q4', '', 'f32');
const dim = fc.oneof(fc.nat(8), fc.constantFrom(-1, 1.5, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER));
const entry = fc.record(
  {
    dtype: fc.oneof(dtype, fc.anything({ maxDepth: 1 })),
    shape: fc.oneof(fc.array(dim, { maxLength: 4 }), fc.anything({ maxDepth: 1 })),
    data_offsets: fc.oneof(fc.tuple(fc.nat(300), fc.nat(300)), fc.array(fc.integer({ min: -5, max: 2 ** 33 }), { maxLength: 3 }), fc.anything({ maxDepth: 1 })),
  },
  { requiredKeys: [] },
);

describe('safetensors reader (fuzz): any bytes give tensors or a FrugalInputError', () => {
  it('arbitrary bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), readAll), fuzzParameters(2000));
  });

  it('headers of hostile tensor descriptions over random payloads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constant('__metadata__'), fc.constant('__proto__')), entry, { maxKeys: 4 }),
        fc.uint8Array({ maxLength: 300 }),
        async (header, payload) => readAll(withHeader(JSON.stringify(header), payload)),
      ),
      fuzzParameters(2000),
    );
  });

  it('header lengths that lie, over valid files', async () => {
    const valid = encodeSafetensors({ w: { dtype: 'F32', shape: [2, 3], bytes: new Uint8Array(24) }, b: { dtype: 'F16', shape: [3], bytes: new Uint8Array(6) } });
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.nat(valid.length), async (length, cut) => {
        const bytes = valid.slice(0, Math.max(8, valid.length - cut));
        new DataView(bytes.buffer).setBigUint64(0, length, true);
        await readAll(bytes);
      }),
      fuzzParameters(1000),
    );
  });
});
