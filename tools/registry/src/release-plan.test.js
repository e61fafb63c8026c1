import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// Versioning is nx release with version plans (see RELEASING.md): a plan names the packages a change
// bumps; dependents follow with a patch; each package's CHANGELOG.md gets the plan's text.
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const plans = join(repo, '.nx', 'version-plans');
const listPlans = () => (existsSync(plans) ? readdirSync(plans) : []);
const before = new Set(listPlans());
// The plan this test makes is removed again; plans that were there stay.
afterAll(() => listPlans().filter((f) => !before.has(f)).forEach((f) => rmSync(join(plans, f))));

/** Released packages (under packages/) whose dependencies name `dependency`. */
function packagesDependingOn(dependency) {
  return readdirSync(join(repo, 'packages'))
    .map((d) => `packages/${d}`)
    .filter((dir) => existsSync(join(repo, dir, 'package.json')))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(repo, dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => !pkg.private && pkg.dependencies?.[dependency])
    .map(({ dir, pkg }) => ({ dir, name: pkg.name }));
}

function nx(args) {
  // One stream, in the order nx writes it (file headers and diffs go to different streams), without colour codes.
  const r = spawnSync('sh', ['-c', `npx nx ${args.map((a) => `'${a}'`).join(' ')} 2>&1`], { cwd: repo, encoding: 'utf8', timeout: 300_000 });
  const out = stripVTControlCharacters(r.stdout);
  if (r.status !== 0) throw new Error(`nx ${args.join(' ')} exited with ${r.status}:\n${out}`);
  return out;
}

describe('nx release with a version plan (dry run)', () => {
  it('bumps the planned package, its dependents, and writes both changelogs', () => {
    nx(['release', 'plan', 'major', '--projects=@frugal/augment', '--message=Policies take a magnitude range.', '--onlyTouched=false']);
    const made = listPlans().filter((f) => !before.has(f));
    expect(made).toHaveLength(1);
    const out = nx(['release', '--dry-run', '--skip-publish']);
    // 0.x: a breaking change ("major") moves the minor version.
    expect(out).toMatch(/@frugal\/augment ❓ Applied semver relative bump "major", read from version plan .*version-plan-\d+\.md, to get new version 0\.2\.0/);
    expect(out).toMatch(/@frugal\/cli ❓ Applied semver relative bump "patch", because a dependency was bumped/);
    expect(out).not.toMatch(/@frugal\/core ✍️/);
    expect(out).toMatch(/CREATE packages\/augment\/CHANGELOG\.md \[dry-run\]\n\+ ## 0\.2\.0 \(\d{4}-\d\d-\d\d\)\n\+\n\+ ### .*Breaking Changes\n\+\n\+ - Policies take a magnitude range\./);
    // Each package that depends on it directly: a patch, its range moved, a changelog entry.
    const dependents = packagesDependingOn('@frugal/augment');
    expect(dependents.length).toBeGreaterThan(0);
    for (const { name, dir } of dependents) {
      expect(out, name).toMatch(new RegExp(`${name.replace('/', '\\/')} ❓ Applied semver relative bump "patch", because a dependency was bumped, to get new version 0\\.1\\.1`));
      expect(out, name).toMatch(new RegExp(`UPDATE ${dir}/package\\.json \\[dry-run\\](?:(?!UPDATE )[\\s\\S])*?\\+\\s+"@frugal/augment": "\\^0\\.2\\.0",`));
      expect(out, name).toMatch(new RegExp(`CREATE ${dir}/CHANGELOG\\.md \\[dry-run\\]\\n\\+ ## 0\\.1\\.1 .*\\n\\+\\n\\+ ### 🧱 Updated Dependencies\\n\\+\\n(\\+ - Updated .*\\n)*?\\+ - Updated @frugal/augment to 0\\.2\\.0`));
    }
  });
});
