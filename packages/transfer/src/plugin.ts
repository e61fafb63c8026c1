import type { FrugalPlugin } from '@frugal/core';
import { transferParams, type TransferParams } from './params.js';
import { startingNetwork } from './source/model-source.js';
import { transferStrategy } from './transfer-strategy.js';
import { rotationPretext, rotationPretextParams } from './pretext/rotation-pretext.js';
import { contrastivePretext, contrastivePretextParams } from './pretext/contrastive-pretext.js';

export interface TransferOptions {
  /** Prefix for the registered strategy name (e.g. 'my-' gives 'my-transfer'). */
  prefix?: string;
}

/**
 * Transfer learning as a Frugal plugin: the `transfer` strategy (linear-probe and fine-tune), and
 * `rotation-pretext` and `contrastive-pretext`, source networks made from the run's own unlabelled images.
 */
export function transfer(options: TransferOptions = {}): FrugalPlugin {
  return {
    name: '@frugal/transfer',
    register(registry) {
      registry.strategy({
        name: `${options.prefix ?? ''}transfer`,
        description: 'Reuse a pretrained network: new head, then linear-probe (frozen backbone) or fine-tune (smaller backbone learning rate, gradual unfreezing)',
        params: transferParams,
        factory: transferStrategy,
        ignoresUnlabelled: true,
        startsFrom: (params) => startingNetwork((params as TransferParams).source),
      });
      registry.strategy({
        name: `${options.prefix ?? ''}rotation-pretext`,
        description: 'Self-supervised source: the model learns which way up each training image is (labels unread), to start a later run from',
        params: rotationPretextParams,
        factory: rotationPretext,
        ignoresLabels: true,
        streamsUnlabelled: true,
      });
      registry.strategy({
        name: `${options.prefix ?? ''}contrastive-pretext`,
        description: 'Self-supervised source: two augmented views of each training image are pulled together, other images pushed apart (SimCLR; labels unread), to start a later run from',
        params: contrastivePretextParams,
        factory: contrastivePretext,
        ignoresLabels: true,
        streamsUnlabelled: true,
      });
    },
  };
}
