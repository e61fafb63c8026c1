import { z } from 'zod';

/** npm package names: `name` or `@scope/name`, lower case, as npm accepts them. */
const packageName = z
  .string()
  .min(1)
  .max(214)
  .regex(/^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/, 'expected an npm package name such as "@acme/frugal-plugin-blur"');

/** One plugin of a recipe: a package name, or `[name, options]` to call the package's factory with options. */
export const pluginSpecSchema = z.union([
  packageName,
  z.tuple([packageName, z.record(z.string(), z.unknown())], { error: 'expected a package name or [package name, { options }]' }),
]);

export type PluginSpec = string | readonly [string, Record<string, unknown>];
