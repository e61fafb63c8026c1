import { FrugalInputError, type DatasetSource } from '@frugal/core';

/** Throws when a model built for `numClasses` classes cannot take this dataset's labels. */
export function checkClassCount(source: Pick<DatasetSource, 'name' | 'classNames'>, numClasses: number, model = 'the model'): void {
  const have = source.classNames.length;
  if (have === numClasses) return;
  const shown = source.classNames.slice(0, 10).join(', ') + (have > 10 ? ', ...' : '');
  throw new FrugalInputError(
    `Dataset "${source.name}" has ${have} classes (${shown}) but ${model} is built for ${numClasses}; ` +
      `set numClasses to ${have}, or give the dataset classNames that match the model`,
  );
}
