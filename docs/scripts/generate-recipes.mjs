// Writes reference/recipes.md from the zod schemas: core's recipe and training schemas, and the
// parameter schema of every entry that the Frugal packages register. Run before the site build.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createFrugal, recipeSchema, REGISTRY_KINDS } from '@frugal/core';
import { standardPlugins } from '@frugal/preset-standard';
import { schemaComments } from './schema-comments.mjs';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(docs, '..', 'packages');

const plugins = standardPlugins();
const frugal = createFrugal({ plugins });
const comments = schemaComments(readdirSync(packagesDir).map((p) => join(packagesDir, p)));

const jsonSchema = (schema) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/** Markdown-safe text for a table cell (no pipes, no Vue interpolation, no raw tags). */
function cell(text) {
  return String(text).replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\{\{/g, '&#123;&#123;').replace(/\n/g, ' ');
}

function code(text) {
  return `<code>${String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '&#124;').replace(/\{/g, '&#123;').replace(/\}/g, '&#125;')}</code>`;
}

function typeOf(s) {
  if (!s || Object.keys(s).length === 0) return 'any';
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' or ');
  if (s.anyOf || s.oneOf) return (s.anyOf ?? s.oneOf).map(typeOf).join(' or ');
  if (s.type === 'array') {
    if (s.prefixItems) return `[${s.prefixItems.map(typeOf).join(', ')}]`;
    const item = typeOf(s.items);
    return item.includes(' or ') ? `list of (${item})` : `${item}[]`;
  }
  if (s.type === 'object') {
    const tag = Object.entries(s.properties ?? {}).find(([, v]) => v.const !== undefined);
    if (tag) return `{ ${tag[0]}: ${JSON.stringify(tag[1].const)}, ... }`;
    if (s.properties) return 'object';
    return 'object (any keys)';
  }
  return Array.isArray(s.type) ? s.type.join(' or ') : (s.type ?? 'any');
}

function constraints(s) {
  const out = [];
  const big = (v) => Math.abs(v) >= Number.MAX_SAFE_INTEGER;
  if (s.minimum !== undefined && !big(s.minimum)) out.push(`≥ ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) out.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined && !big(s.maximum)) out.push(`≤ ${s.maximum}`);
  if (s.exclusiveMaximum !== undefined) out.push(`< ${s.exclusiveMaximum}`);
  if (s.minLength > 1) out.push(`at least ${s.minLength} characters`);
  if (s.minItems !== undefined && s.minItems > 0 && !s.prefixItems) out.push(`at least ${s.minItems} items`);
  if (s.format) out.push(s.format);
  for (const alt of s.anyOf ?? []) {
    const inner = constraints(alt);
    if (inner.length) out.push(`${typeOf(alt)}: ${inner.join(', ')}`);
  }
  if (s.type === 'array' && s.items && !s.prefixItems) {
    const inner = constraints(s.items);
    if (inner.length) out.push(`each ${inner.join(', ')}`);
  }
  return out;
}

/** Table rows for an object schema; nested objects become dotted names. */
function rows(s, prefix = '', required = true) {
  const out = [];
  if (!s?.properties) return out;
  const keys = Object.keys(s.properties);
  const described = comments.describe(keys);
  for (const key of keys) {
    const field = s.properties[key];
    const name = `${prefix}${key}`;
    const isRequired = required && (s.required ?? []).includes(key) && field.default === undefined;
    const description = field.description ?? described.get(key) ?? '';
    const objectAlternatives = (field.anyOf ?? field.oneOf ?? []).filter((a) => a.properties);
    out.push({
      name,
      type: typeOf(field),
      required: isRequired,
      default: field.default,
      notes: [description, constraints(field).length ? `Allowed: ${constraints(field).join(', ')}.` : ''].filter(Boolean).join(' '),
    });
    if (field.properties) out.push(...rows(field, `${name}.`, isRequired));
    else if (field.type === 'array' && field.items?.properties) out.push(...rows(field.items, `${name}[].`, false));
    for (const alt of objectAlternatives) {
      const tag = Object.entries(alt.properties).find(([, v]) => v.const !== undefined);
      out.push(...rows(alt, tag ? `${name}{${tag[0]}: ${JSON.stringify(tag[1].const)}}.` : `${name}.`, false));
    }
  }
  return out;
}

function table(schema, prefix = '') {
  const r = rows(schema, prefix);
  if (r.length === 0) return '_No parameters._\n';
  const lines = ['| field | type | default | notes |', '| --- | --- | --- | --- |'];
  for (const row of r) {
    const def = row.required ? '**required**' : row.default === undefined ? '' : code(JSON.stringify(row.default));
    lines.push(`| ${code(row.name)} | ${code(row.type)} | ${def} | ${cell(row.notes)} |`);
  }
  return `${lines.join('\n')}\n`;
}

const TITLES = {
  models: ['Models', 'model.name', 'model.params'],
  augmentations: ['Augmentations', 'augment[].op', 'the other keys of the augment item'],
  strategies: ['Strategies', 'strategy.name', 'strategy.params'],
  datasets: ['Datasets', 'data.dataset', 'data.params'],
  callbacks: ['Callbacks', 'callbacks[].name', 'callbacks[].params'],
  backends: ['Backends', 'backend', '(set by name only)'],
};

const out = [];
out.push(
  '---',
  'outline: [2, 3]',
  '---',
  '',
  '<!-- Generated by docs/scripts/generate-recipes.mjs from the zod schemas; do not edit. -->',
  '',
  '# Recipes reference',
  '',
  'A recipe is a JSON or YAML file (or the same object in code) that says what data, which model, which',
  'augmentations, which strategy and its hyper-parameters, and where outputs go. `frugal train recipe.yaml`',
  'runs one; in code, `runRecipe(frugal, validateRecipe(raw, frugal))` takes the same object. This page is',
  'generated from the schemas that validate recipes, so it lists exactly what the validator accepts.',
  '',
  'A complete recipe, run by the docs test suite:',
  '',
  '<<< @/examples/recipes/digits.yaml',
  '',
  '## The recipe file',
  '',
  'Fields with a default may be left out; `params` objects are checked against the entry they configure',
  '(see the registries below).',
  '',
  table(jsonSchema(recipeSchema)),
);

out.push(
  '## Registered entries',
  '',
  `The entries registered by ${plugins.map((p) => `\`${p.name}\``).join(', ')} and \`@frugal/core\`.`,
  'Each entry is named in a recipe, and its parameters are validated by its own schema.',
  '',
);
for (const kind of REGISTRY_KINDS) {
  const [title, where, paramsWhere] = TITLES[kind];
  const entries = frugal[kind].list();
  out.push(`## ${title}`, '', `Named by \`${where}\`; parameters in ${paramsWhere.startsWith('(') || paramsWhere.startsWith('the') ? paramsWhere : `\`${paramsWhere}\``}.`, '');
  if (entries.length === 0) out.push('_None registered._', '');
  for (const entry of entries) {
    out.push(`### ${entry.name}`, '', `${cell(entry.description)} — from \`${entry.plugin}\`.`, '');
    if (kind !== 'backends') out.push(table(jsonSchema(entry.params)));
  }
}

const file = join(docs, 'reference', 'recipes.md');
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`);
console.log(`Wrote ${file}: ${REGISTRY_KINDS.map((k) => `${frugal[k].list().length} ${k}`).join(', ')}`);
