import { FrugalInputError } from '@frugal/core';
import { modelInputShape, type LoadedModel } from '@frugal/transfer';
import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';

const sameNormalization = (a: LoadedModel, b: LoadedModel): boolean => JSON.stringify(a.normalization) === JSON.stringify(b.normalization);

/**
 * Several trained networks as one teacher: each sees the same image, and the teacher's logits are
 * the mean of theirs (its softmax, their probabilities' normalised geometric mean). The members
 * must take the same images with the same normalisation; each is wrapped under its own name, as
 * networks saved apart often share one.
 */
export function ensembleTeacher(members: readonly LoadedModel[]): LoadedModel {
  const [first] = members;
  if (!first || members.length < 2) throw new Error(`ensembleTeacher: ${members.length} members; an ensemble has two or more`);
  const shape = modelInputShape(first.model);
  for (const member of members.slice(1)) {
    const takes = modelInputShape(member.model);
    if (takes.join() !== shape.join() || !sameNormalization(member, first)) {
      throw new FrugalInputError(
        `strategy.params.teacher.members: ${member.description} takes ${takes.join('×')} images normalised as ` +
          `${JSON.stringify(member.normalization ?? 'the data')}, and ${first.description} ${shape.join('×')} as ${JSON.stringify(first.normalization ?? 'the data')}; ` +
          'an ensemble\'s members must take the same images: ensemble networks trained on the same data',
      );
    }
  }
  const input = tfl.input({ shape: shape.map((d) => (d === -1 ? null : d)) as number[] });
  const logits = members.map((member, i) => {
    const named = tfl.model({ inputs: member.model.inputs, outputs: member.model.outputs[0] as SymbolicTensor, name: `member_${i + 1}` });
    return named.apply(input) as SymbolicTensor;
  });
  return {
    model: tfl.model({ inputs: input, outputs: tfl.layers.average().apply(logits) as SymbolicTensor, name: 'ensemble' }),
    normalization: first.normalization,
    classNames: first.classNames,
    description: `an ensemble of ${members.length} (${members.map((m) => m.description).join('; ')})`,
  };
}
