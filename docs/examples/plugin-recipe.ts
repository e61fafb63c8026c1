import { createFrugal, loadPluginsByName, recipeSchema, Rng, runRecipe, validateRecipe, type FrugalPlugin, type ImageSet } from '@frugal/core';
import { augment } from '@frugal/augment';
import { resnet } from '@frugal/models-resnet';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { z } from 'zod';

/** 16×16 grey images of three classes: a bright square at the top left, the centre or the bottom right. */
function squares(count: number, seed: number): ImageSet {
  const rng = new Rng(seed);
  const pixels = new Uint8Array(count * 256);
  const labels = Int32Array.from({ length: count }, (_, i) => i % 3);
  labels.forEach((label, i) => {
    const at = [1, 5, 9][label] as number;
    for (let p = 0; p < 256; p++) {
      const [r, c] = [Math.floor(p / 16), p % 16];
      const inside = r >= at && r < at + 6 && c >= at && c < at + 6;
      pixels[i * 256 + p] = Math.max(0, Math.min(255, Math.round((inside ? 200 : 30) + rng.normal(0, 25))));
    }
  });
  return { shape: [16, 16, 1], pixels, labels, classNames: ['top-left', 'centre', 'bottom-right'] };
}

/** Our own data, registered like any plugin's: the `squares` dataset. */
const squaresData: FrugalPlugin = {
  name: 'squares-data',
  register(registry) {
    registry.dataset({
      name: 'squares',
      description: 'Synthetic squares in three places',
      params: z.strictObject({ count: z.number().int().min(3).default(60) }),
      factory: async ({ count }) => ({ name: 'squares', train: squares(count, 1), test: squares(30, 2), classNames: ['top-left', 'centre', 'bottom-right'] }),
    });
  },
};

/**
 * A recipe that names a third-party plugin package and uses its model and augmentation, next to
 * `@frugal/augment`'s ops; then a ResNet from the same instance.
 */
export async function pluginRecipe({ epochs = 8 } = {}) {
  await tf.setBackend('cpu');
  const raw = {
    seed: 5,
    plugins: ['@acme/frugal-plugin-example'], // loaded by package name
    data: { dataset: 'squares', labelledPerClass: 10 },
    model: { name: 'lenet5' }, // the plugin's model
    augment: [
      { op: 'flip', p: 0.5 },
      { op: 'pixelate', blockSize: [2, 3], p: 0.3 }, // the plugin's op
    ],
    train: { epochs, batchSize: 10, optimizer: { name: 'adam', lr: 0.005, weightDecay: 0 } },
  };
  const loaded = await loadPluginsByName(recipeSchema.parse(raw).plugins);
  const frugal = createFrugal({ plugins: [squaresData, augment(), resnet(), ...loaded], seed: raw.seed });
  const run = await runRecipe(frugal, validateRecipe(raw, frugal), { quiet: true });

  // Models of every loaded plugin come from the same registry.
  const resnet20 = frugal.models.create('resnet20', { numClasses: 3, inputShape: [16, 16, 1], widthMultiplier: 0.25 });
  const logits = tf.tidy(() => (resnet20.model.predict(tf.zeros([2, 16, 16, 1])) as tf.Tensor).shape);
  resnet20.model.dispose();
  return { accuracy: run.evaluation?.accuracy ?? 0, resnet20Logits: logits, plugins: frugal.plugins.map((p) => p.name) };
}
