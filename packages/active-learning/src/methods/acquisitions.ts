import type { Acquisition } from './acquisition.js';
import { diverseMargin } from './diverse-margin.js';
import { entropy } from './entropy.js';
import { margin } from './margin.js';
import { random } from './random.js';
import { typical } from './typical.js';

/** Every acquisition method by name; the first is the default. */
export const ACQUISITIONS: ReadonlyMap<string, Acquisition> = new Map([typical, margin, diverseMargin, entropy, random].map((a) => [a.name, a]));
