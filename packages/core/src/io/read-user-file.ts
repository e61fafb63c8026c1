import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { FrugalInputError } from '../errors.js';

export interface ReadUserFileOptions {
  /** How messages name the file: `Recipe file r.yaml`, `IDX file "x"`. */
  readonly label: string;
  /** The largest file read: a larger one is a mistake, and is refused before a byte is read. */
  readonly maxBytes: number;
  /** What to do, after every refusal: `give the recipe file (.yaml or .json)`. */
  readonly hint: string;
}

/**
 * Reads a file a user named. A folder, a device (`/dev/zero` never ends), a pipe (which waits for a
 * writer) or a file over `maxBytes` is refused, naming it, before anything is read.
 */
export async function readUserFile(file: string, options: ReadUserFileOptions): Promise<Buffer> {
  const { label, maxBytes, hint } = options;
  // Non-blocking, so that opening a pipe does not wait for a writer; reads of a plain file are unchanged.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new FrugalInputError(`${label} does not exist; ${hint}`, { cause: error });
    if (error.code === 'EISDIR') throw new FrugalInputError(`${label} is a folder; ${hint}`, { cause: error });
    throw new FrugalInputError(`${label} could not be read (${error.code ?? error.message}); ${hint}`, { cause: error });
  });
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new FrugalInputError(`${label} is a folder; ${hint}`);
    if (!info.isFile()) throw new FrugalInputError(`${label} is not a regular file (a device, a pipe or a socket); ${hint}`);
    if (info.size > maxBytes) {
      throw new FrugalInputError(`${label} is ${info.size.toLocaleString('en')} bytes, over the ${maxBytes.toLocaleString('en')} it may have; ${hint}`);
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
