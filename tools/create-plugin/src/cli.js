#!/usr/bin/env node
// npx @frugal/create-plugin <package-name> [folder] [--description "..."]
// npm create @frugal/plugin <package-name> [folder]
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createPlugin, defaultFolder } from './create-plugin.js';

const USAGE = `Usage: npx @frugal/create-plugin <package-name> [folder] [--description "..."]
   or: npm create @frugal/plugin <package-name> [folder]

Writes a Frugal plugin package into folder (default: ./<name without its scope>) that builds,
tests and packs on its own. Example:

  npx @frugal/create-plugin @acme/frugal-plugin-blur
  cd frugal-plugin-blur && npm install && npm test`;

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { description: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
} catch (error) {
  console.error(`create-plugin: ${error.message}; run with --help for usage`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (positionals.length === 0 || positionals.length > 2) {
  console.error(`create-plugin: give a package name (and optionally a folder), e.g. npx @frugal/create-plugin @acme/frugal-plugin-blur; run with --help for usage`);
  process.exit(2);
}
const [name, folder] = positionals;
// `npm run` and `npm create` run in another folder; INIT_CWD is where the user typed the command.
const cwd = resolve(process.env.INIT_CWD ?? process.cwd());
const dir = resolve(cwd, folder ?? defaultFolder(name));
try {
  const written = createPlugin({ name, dir, description: values.description });
  const shown = relative(cwd, dir) || '.';
  console.log(`Created ${name} in ${dir}:\n  ${written.join('\n  ')}\n\nNext:\n  cd ${shown} && npm install && npm test`);
} catch (error) {
  console.error(`create-plugin: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
