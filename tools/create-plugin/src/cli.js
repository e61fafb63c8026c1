#!/usr/bin/env node
// Usage: npm run create-plugin -- <package-name> [folder] [--description "..."]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createPlugin } from './create-plugin.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { description: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help || positionals.length === 0) {
  console.log('Usage: frugal-create-plugin <package-name> [folder] [--description "..."]');
  process.exit(positionals.length === 0 && !values.help ? 2 : 0);
}
const [name, folder] = positionals;
const workspaceRoot = resolve(process.env.INIT_CWD ?? process.cwd());
const dir = resolve(workspaceRoot, folder ?? `packages/${name.replace(/^@[^/]+\//, '')}`);
try {
  const written = createPlugin({ name, dir, description: values.description, workspaceRoot });
  console.log(`Created ${name} in ${dir}:\n  ${written.join('\n  ')}\nRun npm install to link it into the workspace.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
