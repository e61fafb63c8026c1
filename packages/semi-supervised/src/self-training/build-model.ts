import { FrugalInputError, type BuiltModel, type Frugal } from '@frugal/core';

/** Whether model `name` takes parameter `key` (its schema accepts it next to `base`). */
export function modelTakes(frugal: Frugal, name: string, base: Record<string, unknown>, key: string, value: unknown): boolean {
  const result = frugal.models.get(name).params.safeParse({ ...base, [key]: value });
  return result.success;
}

/** Trainable parameter count (for the "student at least as large as its teacher" check). */
export function parameterCount(built: BuiltModel): number {
  return built.model.countParams();
}

type Weight = BuiltModel['model']['weights'][number];

function sameShape(a: Weight, b: Weight | undefined): boolean {
  return b !== undefined && a.shape.join(',') === b.shape.join(',');
}

/**
 * Copies the weights of `from` into `to`: matched by name (layer and weight, as the model named
 * them), or, when both models were built with the same name and parameters, by position.
 * TensorFlow.js orders a functional model's weights by its graph, so a model built with an extra
 * weightless layer (dropout, drop-path) can order them differently: only names match them safely.
 */
export function copyWeights(from: BuiltModel, to: BuiltModel, options: { sameBuild: boolean; what: string }): void {
  const src = from.model.weights;
  const dst = to.model.weights;
  const byName = new Map(src.map((w) => [w.originalName, w]));
  const named = byName.size === src.length && src.length === dst.length && dst.every((w) => sameShape(w, byName.get(w.originalName)));
  if (named) {
    dst.forEach((w) => w.write((byName.get(w.originalName) as Weight).read()));
    return;
  }
  if (options.sameBuild && src.length === dst.length && dst.every((w, i) => sameShape(w, src[i]))) {
    dst.forEach((w, i) => w.write((src[i] as Weight).read()));
    return;
  }
  throw new FrugalInputError(
    `${options.what}: the student starts from the teacher's weights (studentInit: "teacher"), but they cannot be matched: ` +
      (src.length !== dst.length
        ? `the teacher has ${src.length} weight tensors, the student ${dst.length}. `
        : 'the two models are built differently and their layers are not named alike. ') +
      'Use studentInit: "fresh", or the same model with named layers for teacher and student.',
  );
}
