import { createFrugal } from '@frugal/core';
import { describe, expect, it } from 'vitest';
import { resnet } from './plugin.js';

// The plugin types `frugal.models.create` for its models (declaration merging of FrugalModels):
// the typecheck (`npm run typecheck`) fails when a line marked @ts-expect-error compiles.
const frugal = createFrugal({ plugins: [resnet()] });
const base = { numClasses: 10, inputShape: [32, 32, 3] as [number, number, number] };

/** Never called: what the compiler must accept and refuse. */
export function typedCalls(): void {
  frugal.models.create('resnet20', { ...base, widthMultiplier: 0.5 });
  frugal.models.create('a-model-of-another-plugin', { ...base, anything: true });
  // @ts-expect-error widthMultiplier is a number
  frugal.models.create('resnet20', { ...base, widthMultiplier: 'x' });
  // @ts-expect-error no such parameter
  frugal.models.create('resnet20', { ...base, widthMultiplyer: 0.5 });
  // @ts-expect-error numClasses and inputShape are needed
  frugal.models.create('resnet20', { widthMultiplier: 0.5 });
}

describe('frugal.models.create, typed by the plugin', () => {
  it('refuses at run time what the types refuse, naming the field', () => {
    const create = frugal.models.create.bind(frugal.models) as (name: string, params: Record<string, unknown>) => unknown;
    expect(() => create('resnet20', { ...base, widthMultiplier: 'x' })).toThrow(/widthMultiplier/);
    expect(() => create('resnet20', { ...base, widthMultiplyer: 0.5 })).toThrow(/widthMultiplyer/);
  });
});
