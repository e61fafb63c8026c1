import { FrugalInputError, type BuiltModel, type Frugal, type Rng, type StrategyData } from '@frugal/core';

/**
 * Builds model `name` for the data with `params`, its initialisation drawn from `rng`.
 *
 * Unlike `frugal.models.create`, whose streams count the models built so far, the weights depend
 * only on `rng`: a run resumed at its third generation builds that generation's model exactly as the
 * uninterrupted run did, without building the two before it.
 */
export function buildModel(frugal: Frugal, name: string, params: Record<string, unknown>, data: StrategyData, rng: Rng): BuiltModel {
  const entry = frugal.models.get(name);
  const parsed = frugal.models.parse(name, params, `model "${name}"`);
  return entry.factory({ ...parsed, numClasses: data.classNames.length, inputShape: [...data.labelled.shape] }, { rng });
}

/** Whether model `name` takes parameter `key` (its schema accepts it next to `base`). */
export function modelTakes(frugal: Frugal, name: string, base: Record<string, unknown>, key: string, value: unknown): boolean {
  const result = frugal.models.get(name).params.safeParse({ ...base, [key]: value });
  return result.success;
}

/** Trainable parameter count (for the "student at least as large as its teacher" check). */
export function parameterCount(built: BuiltModel): number {
  return built.model.countParams();
}

/** Copies the weights of `from` into `to` (same architecture), checking shapes. */
export function copyWeights(from: BuiltModel, to: BuiltModel, what: string): void {
  const src = from.model.weights;
  const dst = to.model.weights;
  if (src.length !== dst.length || src.some((w, i) => w.shape.join(',') !== (dst[i]?.shape ?? []).join(','))) {
    throw new FrugalInputError(`${what}: the student starts from the teacher's weights, so both need the same architecture; use studentInit: "fresh" for different models`);
  }
  dst.forEach((w, i) => w.write((src[i] as typeof w).read()));
}
