import type { z } from 'zod';
import type { PretrainedConfig } from '../types.js';
import { FrugalInputError } from '../errors.js';
import { closestName, quotedName } from '../recipe/closest-name.js';
import { formatZodError } from '../recipe/format-zod-error.js';

/** One named thing a plugin adds: a model, an augmentation, a strategy, a dataset, ... */
export interface RegistryEntry<TFactory> {
  readonly name: string;
  /** One line for `frugal list`. */
  readonly description: string;
  /** Schema of the parameters the factory takes; it joins the recipe schema. */
  readonly params: z.ZodType;
  readonly factory: TFactory;
  /**
   * Augmentations: parameters from a spec written as text that is not a registered name, or
   * undefined when the text is not this entry's (RandAugment reads `"rand-m9-n2-mstd0.5"`).
   */
  readonly fromText?: (text: string, path: string) => Record<string, unknown> | undefined;
  /**
   * Strategies: reads the data's unlabelled images in batches from `data.unlabelledStream` when the
   * source streams them (a folder); for a strategy without it they are loaded into memory first.
   */
  readonly streamsUnlabelled?: boolean;
  /**
   * Strategies: never reads the data's unlabelled images (supervised training, transfer to the
   * labelled images): a folder source's are then listed and counted, never decoded.
   */
  readonly ignoresUnlabelled?: boolean;
  /**
   * Strategies: never reads a label (a self-supervised pretext task): it also runs on a dataset
   * without labelled images or classes, such as an `unlabelled-folder`.
   */
  readonly ignoresLabels?: boolean;
  /**
   * Datasets: the parameters naming folders it reads images from (`dir`, `testDir`): a run
   * directory inside one is refused, since later runs would read its files as images.
   */
  readonly readsFolders?: readonly string[];
  /**
   * Strategies: the network it starts from, given its parsed parameters, where that is not the
   * recipe's model (transfer's `source`): a saved model (`field` names it in errors), or a registry
   * model spec. `data.normalization: pretrained` takes that network's normalisation.
   */
  readonly startsFrom?: (params: Record<string, unknown>) => StartingNetwork | undefined;
  /**
   * Models: the preprocessing the weights that its `weights` parameter imports expect; known
   * without building the model, for `data.normalization: pretrained`.
   */
  readonly pretrained?: PretrainedConfig;
}

/**
 * The network a strategy starts from: a saved model folder, a model of the registry (absent: the
 * recipe's), or one whose normalisation cannot be known (`unknown` says why, for the error).
 */
export type StartingNetwork =
  | { readonly savedModel: string; readonly field: string }
  | { readonly model?: { readonly name: string; readonly params: Record<string, unknown> } }
  | { readonly unknown: string };

/** An entry as stored: with the name of the plugin that registered it. */
export interface RegisteredEntry<TFactory> extends RegistryEntry<TFactory> {
  readonly plugin: string;
}

/**
 * A typed, named registry of one kind of thing (models, augmentations, ...). Registering a name
 * that is taken is an error naming both plugins.
 */
export class NamedRegistry<TFactory> {
  private readonly entries = new Map<string, RegisteredEntry<TFactory>>();

  constructor(readonly kind: string) {}

  add(entry: RegistryEntry<TFactory>, plugin: string): void {
    const taken = this.entries.get(entry.name);
    if (taken) {
      throw new Error(
        `${this.kind} "${entry.name}" is registered twice: by plugin "${taken.plugin}" and by plugin "${plugin}". ` +
          `Rename one of them or load only one of the two plugins.`,
      );
    }
    this.entries.set(entry.name, { ...entry, plugin });
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string): RegisteredEntry<TFactory> {
    const entry = this.entries.get(name);
    if (!entry) {
      const known = this.names();
      const close = closestName(name, known);
      throw new FrugalInputError(
        `Unknown ${this.kind} ${quotedName(name)}${close ? ` (did you mean "${close}"?)` : ''}. Known ${this.kind}s: ${known.length ? known.join(', ') : '(none registered)'}. ` +
          `Is the plugin that provides it loaded?`,
      );
    }
    return entry;
  }

  /** Validates `params` against the entry's schema; returns the parsed (defaulted) value. */
  parseParams(name: string, params: unknown, path = `${this.kind}.${name}`): unknown {
    const entry = this.get(name);
    const result = entry.params.safeParse(params ?? {});
    if (!result.success) throw new FrugalInputError(formatZodError(result.error, path, params ?? {}, entry.params));
    return result.data;
  }

  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  list(): RegisteredEntry<TFactory>[] {
    return this.names().map((name) => this.entries.get(name) as RegisteredEntry<TFactory>);
  }
}
