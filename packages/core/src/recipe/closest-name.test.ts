import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from './closest-name.js';

describe('closestName', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('resnet20', 'resnet20')).toBe(0);
    expect(editDistance('resnt20', 'resnet20')).toBe(1);
    expect(editDistance('adma', 'adam')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests a close name, ignoring case, and nothing for a far one', () => {
    const known = ['resnet18', 'resnet20', 'googlenet'];
    expect(closestName('ResNet20', known)).toBe('resnet20');
    expect(closestName('resnet2O', known)).toBe('resnet20');
    expect(closestName('googlnet', known)).toBe('googlenet');
    expect(closestName('vit', known)).toBeUndefined();
    expect(closestName('x', [])).toBeUndefined();
  });
});
