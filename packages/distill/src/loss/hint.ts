import { FrugalInputError, seededInitializers, type Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { layers, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';

type Layer = LayersModel['layers'][number];
type Shape = readonly (number | null)[];

/**
 * The 1×1 adapter of hint (FitNets) distillation: maps the student's intermediate features to the
 * teacher's width — a 1×1 convolution for feature maps (`[n, h, w, c]`), a dense layer for feature
 * vectors (`[n, d]`). Spatial sizes must agree.
 */
export function hintAdapter(student: Shape, teacher: Shape, rng: Rng, where: { student: string; teacher: string }): Layer {
  const fmt = (s: Shape) => `[${s.slice(1).join(', ')}]`;
  const mismatch = () =>
    new FrugalInputError(
      `Hint distillation cannot match student layer "${where.student}" ${fmt(student)} to teacher layer "${where.teacher}" ${fmt(teacher)}: ` +
        `a 1×1 adapter changes only the channels, so both need the same rank and spatial size. Choose layers at the same resolution (hint.studentLayer, hint.teacherLayer).`,
    );
  if (student.length !== teacher.length || (student.length !== 2 && student.length !== 4)) throw mismatch();
  const init = seededInitializers(rng);
  const width = teacher[teacher.length - 1];
  if (width == null) throw mismatch();
  if (student.length === 2) return layers.dense({ units: width, name: 'hint_adapter', kernelInitializer: init.glorotUniform() });
  if (student[1] !== teacher[1] || student[2] !== teacher[2]) throw mismatch();
  return layers.conv2d({ filters: width, kernelSize: 1, name: 'hint_adapter', kernelInitializer: init.glorotUniform() });
}

/** The output of `layer` in `model`'s graph. */
export function layerOutput(model: LayersModel, name: string, role: string): SymbolicTensor {
  try {
    return model.getLayer(name).getOutputAt(0) as SymbolicTensor;
  } catch {
    const names = model.layers.map((l) => l.name);
    throw new FrugalInputError(
      `The ${role} has no layer named "${name}" for hint distillation. Its layers: ${names.slice(0, 40).join(', ')}${names.length > 40 ? ', ...' : ''}`,
    );
  }
}

/** Mean squared distance between the adapted student features and the teacher's. */
export function hintLoss(adapted: tf.Tensor, teacher: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.squaredDifference(adapted, teacher)) as tf.Scalar);
}
