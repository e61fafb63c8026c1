import { readPseudoLabelFile, type FolderLabeller, type FolderLabelRequest, type FolderLabels } from '@frugal/core';
import { labelFolder } from '../label/label-folder.js';

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
    return readPseudoLabelFile(result.outFile);
  },
};
