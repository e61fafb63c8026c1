/** What a folder labeller is asked: label every image of `dir` with the teacher saved in `teacherDir`. */
export interface FolderLabelRequest {
  /**
   * A run directory: `model/` (the teacher in tfjs format with its `frugal.json` card) and
   * `recipe.json` (how its images are decoded). Every worker must see it at this path.
   */
  readonly teacherDir: string;
  /** The images (any layout), as every worker sees them. */
  readonly dir: string;
  /** Where the labeller puts its work, e.g. a queue: `redis://HOST:PORT`. */
  readonly queue: string;
  /** The pseudo-label file to write (JSON lines, one per image, in the folder's order). */
  readonly outFile: string;
  /** Images per forward pass. */
  readonly batchSize: number;
  readonly log?: (message: string) => void;
}

/** The teacher's predictions on a folder. */
export interface FolderLabels {
  /** The images labelled, relative to the folder, with `/`, in the folder's order; those that could not be decoded are left out. */
  readonly files: readonly string[];
  /** `files.length × classes` softmax rows (float32), in the order of `files`. */
  readonly probabilities: Float32Array;
}

/**
 * Labels a folder of images with a saved teacher somewhere other than this process (the workers
 * of a job queue): the pseudo-label strategies call it when their `queue` parameter is set.
 */
export interface FolderLabeller {
  label(request: FolderLabelRequest): Promise<FolderLabels>;
}
