import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
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

function nx(args) {
  const r = spawnSync('npx', ['nx', ...args], { cwd: repo, encoding: 'utf8', timeout: 300_000 });
  // Without colour codes, whatever the terminal.
  const out = stripVTControlCharacters(`${r.stdout}${r.stderr}`);
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
    // Dependents' ranges follow the new version.
    expect(out).toMatch(/\+\s+"@frugal\/augment": "\^0\.2\.0",/);
    expect(out).toMatch(/packages\/augment\/CHANGELOG\.md for @frugal\/augment@0\.2\.0\n+\+ ## 0\.2\.0 \(\d{4}-\d\d-\d\d\)\n\+\n\+ ### .*Breaking Changes\n\+\n\+ - Policies take a magnitude range\./);
    expect(out).toMatch(/packages\/cli\/CHANGELOG\.md for @frugal\/cli@0\.1\.1\n+\+ ## 0\.1\.1 .*\n\+\n\+ ### 🧱 Updated Dependencies\n\+\n\+ - Updated @frugal\/augment to 0\.2\.0/);
  });
});
