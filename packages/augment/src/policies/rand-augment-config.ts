import { FrugalInputError } from '@frugal/core';

/** RandAugment parameters a timm config string can set. */
export interface RandAugmentConfig {
  n?: number;
  m?: number;
  mstd?: number;
  mmax?: number;
  opProbability?: number;
  increasing?: boolean;
}

const KEYS: Record<string, { field: keyof RandAugmentConfig; meaning: string }> = {
  m: { field: 'm', meaning: 'magnitude' },
  n: { field: 'n', meaning: 'ops per image' },
  mstd: { field: 'mstd', meaning: 'magnitude noise std (above 100: uniform in [0, m])' },
  mmax: { field: 'mmax', meaning: 'magnitude upper bound' },
  p: { field: 'opProbability', meaning: 'probability of each chosen op' },
  inc: { field: 'increasing', meaning: '1 = increasing-severity op variants' },
};

/**
 * Parses timm's RandAugment string, e.g. `rand-m9-n2-mstd0.5-inc1`: sections after `rand` are a key
 * (`m`, `n`, `mstd`, `mmax`, `p`, `inc`) followed by its number.
 */
export function parseRandAugmentConfig(text: string, path = 'rand-augment'): RandAugmentConfig {
  const [head, ...sections] = text.split('-');
  if (head !== 'rand') {
    throw new FrugalInputError(`${path}: "${text}" is not a RandAugment string; it must start with "rand", e.g. "rand-m9-n2-mstd0.5"`);
  }
  const config: RandAugmentConfig = {};
  for (const section of sections) {
    const match = /^([a-z]+)(.*)$/.exec(section);
    const key = match?.[1] ?? '';
    const raw = match?.[2] ?? '';
    const known = KEYS[key];
    if (!known) {
      const list = Object.entries(KEYS)
        .map(([k, v]) => `${k} (${v.meaning})`)
        .join(', ');
      throw new FrugalInputError(`${path}: unknown section "${section}" in "${text}"; known sections: ${list}`);
    }
    const value = Number(raw);
    if (raw === '' || !Number.isFinite(value) || value < 0) {
      throw new FrugalInputError(`${path}: section "${section}" of "${text}" needs a number >= 0 after "${key}"`);
    }
    if (known.field === 'increasing') config.increasing = value !== 0;
    else if (known.field === 'n') {
      if (!Number.isInteger(value)) throw new FrugalInputError(`${path}: "${section}" of "${text}": n must be a whole number`);
      config.n = value;
    } else config[known.field] = value;
  }
  return config;
}
