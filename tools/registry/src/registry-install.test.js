import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands, fileName, sectionBlocks } from './readme-blocks.js';
import { startVerdaccio } from './verdaccio.js';

/**
 * Every package published to a local Verdaccio (by `nx release publish`, as a release does), then
 * installed from it into empty folders as the README says, and used there: `frugal doctor`, a small
 * `frugal train`, the quick-start example, the library packages alone, and a plugin scaffolded with
 * `npm create @frugal/plugin` that builds, tests, packs and loads into `frugal`.
 */
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'frugal-registry-'));
const cliApp = join(work, 'cli-app');
const libraryApp = join(work, 'library-app');
const pluginParent = join(work, 'plugins');
let registry;
let env;

/** The packages a release publishes: nx.json's release.projects. */
function releasedPackages() {
  const nx = JSON.parse(readFileSync(join(repo, 'nx.json'), 'utf8'));
  const dirs = nx.release.projects.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(join(repo, pattern.slice(0, -2)), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `${pattern.slice(0, -2)}/${d.name}`)
      : [pattern],
  );
  return dirs
    .filter((dir) => existsSync(join(repo, dir, 'package.json')))
    .map((dir) => ({ dir, ...JSON.parse(readFileSync(join(repo, dir, 'package.json'), 'utf8')) }))
    .filter((pkg) => !pkg.private);
}

/** `names` and, transitively, the packages of ours they depend on. */
function withOurDependencies(names) {
  const byName = new Map(releasedPackages().map((p) => [p.name, p]));
  const all = new Set();
  const visit = (name) => {
    if (all.has(name)) return;
    all.add(name);
    Object.keys(byName.get(name)?.dependencies ?? {}).filter((d) => byName.has(d)).forEach(visit);
  };
  names.forEach(visit);
  return [...all].sort();
}

function run(command, cwd, { timeout = 480_000, more = {} } = {}) {
  const r = spawnSync('bash', ['-c', command], { cwd, env: { ...env, ...more }, encoding: 'utf8', timeout });
  const out = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`\`${command}\` in ${cwd} exited with ${r.status ?? r.signal}:\n${out.slice(-4000)}`);
  return out;
}

beforeAll(async () => {
  const unbuilt = releasedPackages().filter((p) => p.main && !existsSync(join(repo, p.dir, p.main)));
  if (unbuilt.length) throw new Error(`Build first (npm run build): ${unbuilt.map((p) => `${p.dir}/${p.main}`).join(', ')} missing`);
  registry = await startVerdaccio(join(work, 'verdaccio'));
  const host = registry.url.replace(/^https?:/, '');
  const publishRc = join(work, 'publish.npmrc');
  const installRc = join(work, 'install.npmrc');
  writeFileSync(publishRc, `registry=${registry.url}\n${host}:_authToken=${registry.token}\n`);
  writeFileSync(installRc, `registry=${registry.url}\n`);
  const quiet = { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', NO_COLOR: '1', FORCE_COLOR: '0' };
  env = { ...process.env, ...quiet, npm_config_userconfig: publishRc };
  run(`npx nx release publish --registry ${registry.url} --output-style=static`, repo, { timeout: 600_000 });
  // Users install without publishing rights, from this registry only.
  env = { ...process.env, ...quiet, npm_config_userconfig: installRc, npm_config_registry: registry.url };
  for (const dir of [cliApp, libraryApp, pluginParent]) mkdirSync(dir, { recursive: true });
  forgetNpxInstallsOfOurs();
}, 900_000);

/**
 * npx keeps what it installed (`<npm cache>/_npx/<hash>`) and reuses it for the same package and
 * version: an earlier run's @frugal packages, of the version published here, would stand in for the
 * ones just built. A pod (or a user's first `npm create`) starts without them.
 */
function forgetNpxInstallsOfOurs() {
  // Asked outside the repository: inside a workspace, npm refuses `config get`.
  const cache = spawnSync('npm', ['config', 'get', 'cache'], { cwd: work, env, encoding: 'utf8' }).stdout.trim();
  if (!cache) throw new Error('npm config get cache gave nothing: the npx installs of earlier runs cannot be cleared');
  const npx = join(cache, '_npx');
  if (!existsSync(npx)) return;
  for (const entry of readdirSync(npx)) {
    if (existsSync(join(npx, entry, 'node_modules', '@frugal'))) rmSync(join(npx, entry), { recursive: true, force: true });
  }
}

afterAll(async () => {
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

const blocks = sectionBlocks(join(repo, 'README.md'), 'Install');
/** The README block of `lang` whose text includes `marker`. */
function block(lang, marker) {
  const found = blocks.find((b) => b.lang === lang && b.text.includes(marker));
  if (!found) throw new Error(`README's Install section has no ${lang} block with "${marker}"`);
  return found;
}
const DNNL_HEADER = '/usr/include/oneapi/dnnl/dnnl.hpp';

describe('the packages, published to a registry and installed from it', () => {
  it('are all on the registry, served from it alone', async () => {
    for (const pkg of releasedPackages()) {
      const r = await registry.fetch(pkg.name.replace('/', '%2f'));
      expect(r.status, pkg.name).toBe(200);
      const doc = await r.json();
      expect(Object.keys(doc.versions), pkg.name).toEqual([pkg.version]);
      expect(doc.versions[pkg.version].dist.tarball, pkg.name).toContain(registry.url);
    }
  });

  it('README: @frugal/cli in an empty folder runs frugal doctor, a small frugal train and frugal preview', () => {
    const install = block('sh', 'npm install @frugal/cli');
    const recipe = block('yaml', 'recipe.yaml');
    writeFileSync(join(cliApp, fileName(recipe)), recipe.text);
    const outputs = commands(install).map((command) => [command, run(command, cliApp)]);
    const [, doctor] = outputs.find(([c]) => c.includes('frugal doctor'));
    expect(doctor).toMatch(/backend/i);
    const [, train] = outputs.find(([c]) => c.includes('frugal train'));
    expect(train).toMatch(/Test accuracy: \d+(\.\d+)?% on 200 images \(100 labelled for training\)/);
    const [, preview] = outputs.find(([c]) => c.includes('frugal preview'));
    expect(preview).toMatch(/Wrote .*augmentation-preview\.png \(original \+ augmented versions of pad-crop\)/);
    expect(existsSync(join(cliApp, 'augmentation-preview.png'))).toBe(true);
    const installed = JSON.parse(readFileSync(join(cliApp, 'package.json'), 'utf8'));
    expect(Object.keys(installed.dependencies)).toEqual(['@frugal/cli']);
  });

  it("the many-machines guide's Kubernetes Job: its container's command, in an empty folder, labels its shard", () => {
    // The pods' volume at /data: the run the README's recipe trained, and images to label.
    const data = join(work, 'k8s-data');
    mkdirSync(join(data, 'runs'), { recursive: true });
    cpSync(join(cliApp, 'runs', 'recipe'), join(data, 'runs', 'T'), { recursive: true });
    mkdirSync(join(data, 'photos'));
    for (const name of ['a.png', 'b.png', 'c.png']) copyFileSync(join(cliApp, 'augmentation-preview.png'), join(data, 'photos', name));
    const job = sectionBlocks(join(repo, 'docs', 'guide', 'distributed.md'), 'As a Kubernetes Indexed Job, without a queue').find((b) => b.lang === 'yaml');
    const command = JSON.parse(/^\s*command: (\[.*\])$/m.exec(job?.text ?? '')?.[1] ?? 'null');
    expect(command?.slice(0, 2)).toEqual(['sh', '-c']);
    // The container is node:20 with nothing installed; npx fetches @frugal/cli from the registry.
    // Nor has it oneDNN: the native backend's install step finds none (DNNLROOT names an empty
    // folder here) and leaves the addon unbuilt, as it would there.
    const pod = join(work, 'pod');
    mkdirSync(pod);
    const out = run(`export JOB_COMPLETION_INDEX=0; ${command[2].replaceAll('/data/', `${data}/`)}`, pod, { more: { DNNLROOT: join(work, 'no-onednn') } });
    expect(out).toMatch(/Stored shard 0 of 1 \(3 images labelled so far\)/);
    expect(readdirSync(pod)).toEqual([]);
  });

  it(`README: the native backend's install script, once approved, ${existsSync(DNNL_HEADER) ? 'builds it' : 'says oneDNN is missing (libdnnl-dev is not installed here)'}`, () => {
    for (const command of commands(block('sh', 'install-scripts approve'))) run(command, cliApp);
    const installed = JSON.parse(readFileSync(join(cliApp, 'package.json'), 'utf8'));
    expect(Object.keys(installed.allowScripts ?? {})).toEqual([expect.stringMatching(/^@frugal\/runtime-native(@|$)/)]);
    const doctor = JSON.parse(run('npx frugal doctor --json', cliApp));
    if (existsSync(DNNL_HEADER)) expect(doctor.backend).toBe('native');
    else expect(doctor.backend).not.toBe('native');
  });

  it('the quick-start example runs where @frugal/cli is installed', () => {
    const source = readFileSync(join(repo, 'docs', 'examples', 'quick-start.ts'), 'utf8');
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(join(cliApp, 'quick-start.mjs'), js);
    const out = run(
      `node --input-type=module -e "const { quickStart } = await import('./quick-start.mjs'); console.log(JSON.stringify(await quickStart({ labelledPerClass: 10, epochs: 6, testPerClass: 10 })));"`,
      cliApp,
    );
    const result = JSON.parse(out.trim().split('\n').at(-1));
    expect(result.labelled).toBe(100);
    expect(result.accuracy).toBeGreaterThan(0.25);
  });

  it('README: only @frugal/core, @frugal/augment and @frugal/models-resnet, and an example with them', () => {
    const install = block('sh', 'npm install @frugal/core');
    const example = block('js', 'first-model.mjs');
    writeFileSync(join(libraryApp, fileName(example)), example.text);
    const out = commands(install).map((command) => run(command, libraryApp)).join('\n');
    expect(out).toMatch(/resnet20: \d+ parameters, logits of shape \[4,10\]/);
    // The three, and what they depend on of ours (nothing else: not the CLI, not the other plugins).
    const named = ['@frugal/core', '@frugal/augment', '@frugal/models-resnet'];
    expect(readdirSync(join(libraryApp, 'node_modules', '@frugal')).map((d) => `@frugal/${d}`).sort()).toEqual(withOurDependencies(named));
  });

  it('npm create @frugal/plugin: the plugin builds, tests and packs, and frugal lists and trains with it', () => {
    const made = run('npm create --yes @frugal/plugin @acme/frugal-plugin-blur', pluginParent);
    expect(made).toContain('cd frugal-plugin-blur && npm install && npm test');
    const plugin = join(pluginParent, 'frugal-plugin-blur');
    run('npm install', plugin);
    expect(run('npm test', plugin)).toMatch(/3 passed/);
    const tarball = run('npm pack --silent', plugin).trim().split('\n').at(-1);
    run(`npm install ${join(plugin, tarball)}`, cliApp);
    const listed = run('npx frugal list augmentations --plugin @acme/frugal-plugin-blur', cliApp);
    expect(listed).toMatch(/ {2}blur-invert +Inverts pixel values .*\(@acme\/frugal-plugin-blur\)/);
    const recipe = {
      plugins: [['@acme/frugal-plugin-blur', { prefix: 'x-' }]],
      data: { dataset: 'mnist', labelledPerClass: 2, params: { testPerClass: 2 } },
      model: { name: 'resnet8', params: { widthMultiplier: 0.25 } },
      augment: [{ op: 'x-blur-invert' }],
      train: { epochs: 1, batchSize: 10 },
    };
    writeFileSync(join(cliApp, 'with-plugin.json'), JSON.stringify(recipe));
    expect(run('npx frugal train with-plugin.json', cliApp)).toMatch(/Test accuracy: .* on 20 images \(20 labelled for training\)/);
  });
});
