import { readFile } from 'node:fs/promises';
import type { FolderLabeller, FolderLabelRequest, FolderLabels } from '@frugal/core';
import { labelFolder } from '../label/label-folder.js';
import type { PseudoLabel } from '../label/label-lines.js';

/** Reads a pseudo-label file back: the files, in order, and their softmax rows. */
export async function readPseudoLabels(file: string): Promise<FolderLabels> {
  const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.length > 0);
  const files: string[] = [];
  let probabilities = new Float32Array(0);
  lines.forEach((line, i) => {
    const label = JSON.parse(line) as PseudoLabel;
    if (i === 0) probabilities = new Float32Array(lines.length * label.probabilities.length);
    files.push(label.file);
    probabilities.set(label.probabilities, i * label.probabilities.length);
  });
  return { files, probabilities };
}

/**
 * The `FOLDER_LABELLER` service: `labelFolder` over the request's queue (the path of `frugal label
 * --queue`), its merged pseudo-label file read back.
 */
export const queueLabeller: FolderLabeller = {
  async label(request: FolderLabelRequest): Promise<FolderLabels> {
    const result = await labelFolder({
      teacherDir: request.teacherDir,
      unlabelledDir: request.dir,
      outFile: request.outFile,
      queue: request.queue,
      batchSize: request.batchSize,
      ...(request.log ? { onNotice: request.log } : {}),
    });
    for (const bad of result.skipped) request.log?.(`Skipped image "${bad.file}": ${bad.reason}`);
    return readPseudoLabels(result.outFile);
  },
};
