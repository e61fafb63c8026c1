import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barsRecipe, frugalSync, oneCleanLine, requireBuiltCli, writeBarsFolder } from './testing/e2e.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-bad-input-'));
const frugal = (args: string[]) => frugalSync(args, root);
const trained = join(root, 'runs', 'bars');
let copies = 0;

/** A copy of the trained run with `damage` done to it. */
function damagedRun(damage: (runDir: string) => void): string {
  const dir = join(root, 'damaged', String(copies++));
  cpSync(trained, dir, { recursive: true });
  damage(dir);
  return dir;
}
function editJson(file: string, edit: (json: Record<string, unknown>) => unknown): void {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify(edit(json) ?? json));
}
const recipeFile = (name: string, content: string) => {
  writeFileSync(join(root, name), content);
  return name;
};
const recipe = (name: string, extra: Record<string, unknown>) => recipeFile(name, JSON.stringify(barsRecipe(root, 1, extra)));

beforeAll(async () => {
  requireBuiltCli();
  await writeBarsFolder(join(root, 'train'), 8, 0);
  await writeBarsFolder(join(root, 'test'), 2, 5);
  await writeBarsFolder(join(root, 'one-class'), 4, 0, ['only']);
  writeFileSync(join(root, 'bars.json'), JSON.stringify(barsRecipe(root, 1)));
  const r = frugal(['train', 'bars.json', '--quiet']);
  if (r.code !== 0) throw new Error(`training the run to damage failed: ${r.stderr}`);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** [what, the command line (made when the case runs), what the one error line says] */
const cases: [string, () => string[], RegExp][] = [
  ['a recipe name that climbs out of output.dir', () => ['train', recipe('climb.json', { name: '../../x' })], /recipe\.name: got "\.\.\/\.\.\/x"; expected a plain folder name/],
  ['a recipe name whose run folder is a link out of output.dir', () => {
    mkdirSync(join(root, 'runs'), { recursive: true });
    symlinkSync(tmpdir(), join(root, 'runs', 'linked'));
    return ['train', recipe('linked.json', { name: 'linked' })];
  }, /The run directory .*linked \(a link to .*\) lies outside output\.dir/],
  ['a 300-character recipe name', () => ['train', recipe('long-name.json', { name: 'n'.repeat(300) })], /recipe\.name: got "n+\.\.\.; expected string to have <=100 characters/],
  ['an empty recipe', () => ['train', recipeFile('empty.yaml', '')], /Recipe file empty\.yaml holds nothing, not a recipe/],
  ['an empty JSON recipe', () => ['train', recipeFile('empty.json', '\n')], /Recipe file empty\.json holds nothing, not a recipe/],
  ['a recipe holding null', () => ['train', recipeFile('null.json', 'null')], /Recipe file null\.json holds nothing, not a recipe/],
  ['a recipe holding a list', () => ['train', recipeFile('list.yaml', '- data\n- model\n')], /Recipe file list\.yaml holds a list, not a recipe/],
  ['a device as the recipe (read forever before)', () => ['train', '/dev/zero'], /^frugal: Recipe file \/dev\/zero is not a regular file \(a device, a pipe or a socket\); give a recipe file/],
  ['a device as an IDX dataset file', () => ['train', recipeFile('zero-idx.yaml', 'data: { dataset: idx, params: { trainImages: /dev/zero, trainLabels: /dev/zero } }\nmodel: { name: resnet8 }\n')], /IDX file "\/dev\/zero" is not a regular file/],
  ['a 1.1 MB recipe', () => ['train', recipeFile('huge.yaml', `augment:\n${'  - { op: flip }\n'.repeat(70_000)}`)], /Recipe file huge\.yaml is 1,190,009 bytes, over the 1,000,000 it may have/],
  ['labelledPerClass larger than a class', () => ['train', recipe('too-many.json', { name: 'too-many', data: { ...(barsRecipe(root, 1).data as object), labelledPerClass: 9 } })], /Class "left" has 8 images; the split asks for 9 labelled\. Lower labelledPerClass or add images/],
  ['an image folder with one class', () => ['train', recipe('one.json', { name: 'one', data: { dataset: 'image-folder', params: { dir: join(root, 'one-class'), size: 12 } } })], /Dataset "image-folder" has 1 class \("only"\); a classifier needs at least 2/],
  ['the rotation pretext on images that are not square', () => {
    const { data } = barsRecipe(root, 1) as { data: { params: object } };
    return ['train', recipe('oblong.json', { name: 'oblong', data: { ...data, params: { ...data.params, size: [12, 8] } }, strategy: { name: 'rotation-pretext' } })];
  }, /strategy\.name: rotation-pretext turns images by quarter turns, so it needs square images, but these are 12×8/],
  ['a teacherLabels file written for another folder', () => {
    writeFileSync(join(root, 'stranger.jsonl'), '{"file":"other/x.png","class":"left","label":0,"confidence":1,"probabilities":[1,0,0]}\n');
    const { data } = barsRecipe(root, 1) as { data: { params: object } };
    const strategy = { name: 'pseudo-label', params: { teacherLabels: 'stranger.jsonl' } };
    return ['train', recipe('stranger.json', { name: 'stranger', data: { ...data, params: { ...data.params, unlabelledDir: join(root, 'test') } }, strategy })];
  }, /pseudo-label: strategy\.params\.teacherLabels stranger\.jsonl labels "other\/x\.png", which is not in the unlabelled folder .*test; label that folder/],
  ['a NaN learning rate', () => ['train', recipeFile('nan.yaml', 'data: { dataset: mnist }\nmodel: { name: resnet20 }\ntrain: { optimizer: { lr: .nan } }\n')], /recipe\.train\.optimizer\.lr: got NaN; expected a number/],
  ['a misspelt model', () => ['train', recipe('typo.json', { model: { name: 'resnet2O' } })], /recipe\.model\.name: got "resnet2O"; did you mean "resnet20"\?/],
  ['a key in the wrong section', () => ['train', recipeFile('misplaced.yaml', 'data: { dataset: mnist }\nmodel: { name: resnet20 }\nepochs: 3\n')], /^frugal: recipe: unknown key "epochs" \(did you mean "train\.epochs"\?\); remove or correct it\n$/],
  ['a misspelt list', () => ['list', 'modles'], /Unknown list "modles"; did you mean "models"\? choose one of models, /],
  ['a recipe together with --resume', () => ['train', 'bars.json', '--resume', trained], /got both a recipe \(bars\.json\) and --resume/],
  ['--run-dir elsewhere than --resume', () => ['train', '--resume', trained, '--run-dir', 'elsewhere'], /--resume .* continues the run in that folder, so --run-dir elsewhere cannot send it elsewhere; give only --resume/],
  ['a --run-dir where the system makes no folder (/proc: hung before)', () => ['train', 'bars.json', '--run-dir', '/proc/frugal-run'], /frugal: cannot make the folder \/proc\/frugal-run: \/proc takes no new folders; choose another path\n$/],
  ['a --run-dir with a 300-character name', () => ['train', 'bars.json', '--run-dir', join(root, 'r'.repeat(300))], /cannot use .*r{300}: a name in it is too long/],
  ['an image folder without its size', () => ['train', recipe('no-size.json', { name: 'no-size', data: { dataset: 'image-folder', params: { dir: join(root, 'train') } } })], /recipe\.data\.params\.size: got nothing \(the field is required\); expected a number or a list/],
  ['an image size of 20000', () => ['train', recipe('huge-size.json', { name: 'huge-size', data: { dataset: 'image-folder', params: { dir: join(root, 'train'), size: 20000 } } })], /recipe\.data\.params\.size: got 20000/],
  ['a billion Cutout holes (ran out of memory before)', () => ['train', recipe('holes.json', { name: 'holes', augment: [{ op: 'cutout', holes: 1e9 }] })], /recipe\.augment\[0\] \(cutout\)\.holes: got 1000000000; expected number to be <=256/],
  ['a transfer head of a billion units', () => ['train', recipe('wide-head.json', { name: 'wide-head', strategy: { name: 'transfer', params: { source: { type: 'registry', model: 'resnet20' }, head: { hidden: 1e9 } } } })], /recipe\.strategy\.params\.head\.hidden: got 1000000000; expected number to be <=16384/],
  ['a ladder file given to train, preview or sweep', () => ['preview', recipeFile('climb.yaml', 'rungs:\n  - { name: base, recipe: bars.json }\n')], /^frugal: climb\.yaml is a ladder file \(it has rungs\), not a recipe: climb it with frugal ladder climb\.yaml\n$/],
  ['a ladder file that is not there', () => ['ladder', 'no-such-ladder.yaml'], /^frugal: Ladder file no-such-ladder\.yaml does not exist; give a ladder file \(\.yaml or \.json\): a recipe with a list of rungs\n$/],
  ['a ladder file holding a list', () => ['ladder', recipeFile('list-ladder.yaml', '- base\n- fixmatch\n')], /^frugal: Ladder file list-ladder\.yaml holds a list, not a ladder; a ladder is a recipe, a mapping with at least data and model, with a list of rungs/],
  ['a tab in a YAML recipe', () => ['train', recipeFile('tab.yaml', 'seed: 0\n\tdata: x\n')], /^frugal: Recipe file tab\.yaml is not valid YAML at line 2, column 1: Tabs are not allowed as indentation\n$/],
  ['eval --decode-threads 100000 (ran out of memory before)', () => ['eval', trained, '--data', 'test', '--decode-threads', '100000'], /--decode-threads must be a whole number from 1 to 64, got "100000"/],
  ['label --batch-size 1e308', () => ['label', '--teacher', trained, '--unlabelled', 'test', '--out', 'x.jsonl', '--batch-size', '1e308'], /--batch-size must be a whole number from 1 to 65,536, got "1e308"/],
  ['preview --versions 100000', () => ['preview', 'bars.json', '--versions', '100000'], /--versions must be a whole number from 1 to 32, got "100000"/],
  ['convert --input-size 20000', () => ['convert', 'bars.json', '--model', 'resnet20', '--input-size', '20000', '--out', 'conv-huge'], /--input-size must be a whole number from 1 to 4096, got 20000/],
  ['a corrupt run recipe.json', () => ['eval', damagedRun((d) => writeFileSync(join(d, 'recipe.json'), '{"seed": 1,'))], /Recipe file .*recipe\.json is not valid JSON/],
  ['a latest.json pointing out of the run', () => ['train', '--resume', damagedRun((d) => writeFileSync(join(d, 'checkpoints', 'latest.json'), '{"checkpoint":"../../../elsewhere"}'))], /latest\.json names the checkpoint "\.\.\/\.\.\/\.\.\/elsewhere", which is not a checkpoint folder/],
  ['a model.json without weightsManifest', () => ['eval', damagedRun((d) => editJson(join(d, 'model', 'model.json'), (j) => void delete j.weightsManifest))], /model\.json has no weightsManifest/],
  ['a weightsManifest that is an object', () => ['eval', damagedRun((d) => editJson(join(d, 'model', 'model.json'), (j) => ({ ...j, weightsManifest: { paths: ['weights.bin'] } })))], /model\.json has no weightsManifest/],
  ['weights shorter than the manifest', () => ['eval', damagedRun((d) => truncateSync(join(d, 'model', 'weights.bin'), 99))], /The weight files of .*model\.json \(.*weights\.bin\) hold 99 bytes; its weightsManifest needs \d+/],
  ['a weights.bin linked to a file outside', () => ['eval', damagedRun((d) => {
    cpSync(join(d, 'model', 'weights.bin'), join(root, 'elsewhere.bin'));
    rmSync(join(d, 'model', 'weights.bin'));
    symlinkSync(join(root, 'elsewhere.bin'), join(d, 'model', 'weights.bin'));
  })], /names the weight file "weights\.bin", which lies outside its directory/],
  ['a weights path linked to /etc/passwd', () => ['eval', damagedRun((d) => {
    symlinkSync('/etc/passwd', join(d, 'model', 'passwd.bin'));
    editJson(join(d, 'model', 'model.json'), (j) => void ((j.weightsManifest as { paths: string[] }[])[0]!.paths = ['passwd.bin']));
  })], /names the weight file "passwd\.bin", which lies outside its directory/],
  ['a model.json whose head has 300 million units', () => ['eval', damagedRun((d) => editJson(join(d, 'model', 'model.json'), (j) => ({
    ...j,
    modelTopology: JSON.parse(JSON.stringify(j.modelTopology).replace(/"units":\d+/, '"units":300000000')),
  })))], /The model in .*model could not be loaded \(.*\); its model\.json is damaged/],
  ['a frugal.json that is {}', () => ['predict', damagedRun((d) => writeFileSync(join(d, 'model', 'frugal.json'), '{}')), join(root, 'test', 'left', '0.png')], /frugal\.json\.format: got nothing; expected one of "frugal-model\/1"\. The model card is damaged/],
  ['a frugal.json with inputShape [20000, 20000, 1]', () => ['predict', damagedRun((d) => editJson(join(d, 'model', 'frugal.json'), (j) => void (j.inputShape = [20000, 20000, 1]))), join(root, 'test', 'left', '0.png')], /frugal\.json\.inputShape\[0\]: got 20000; expected number to be <=4096/],
  ['a frugal.json whose decode scales the shorter side below the input', () => ['predict', damagedRun((d) => editJson(join(d, 'model', 'frugal.json'), (j) => void (j.decode = { resize: 'shorter-side-crop', shorterSide: 8, kernel: 'linear' }))), join(root, 'test', 'left', '0.png')], /frugal\.json\.decode\.shorterSide: .*at least the input's height and width\. The model card is damaged/],
  ['a frugal.json for another model', () => ['predict', damagedRun((d) => editJson(join(d, 'model', 'frugal.json'), (j) => void (j.classNames = ['a', 'b']))), join(root, 'test', 'left', '0.png')], /describes inputs \[12,12,1\] and 2 classes, but .* gives 3 outputs/],
];

describe('bad input (the binary)', () => {
  it.each(cases)('%s: exit 2 and one line', (_what, args, message) => {
    const r = frugal(args());
    expect(r.stderr).toMatch(message);
    expect(oneCleanLine(r.stderr), r.stderr).toBe(true);
    expect(r.code).toBe(2);
  });

  it('reads an image folder with a symlink loop once, with the right labels', () => {
    const dir = join(root, 'looped');
    cpSync(join(root, 'train'), dir, { recursive: true });
    symlinkSync('..', join(dir, 'left', 'up'));
    const r = frugal(['train', recipe('looped.json', { name: 'looped', data: { dataset: 'image-folder', params: { dir, testDir: join(root, 'test'), size: 12 } } }), '--quiet']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(root, 'runs', 'looped', 'summary.json'), 'utf8'));
    expect(summary.data.labelled).toBe(24);
  });

  it('says when batchSize is larger than the labelled set', () => {
    const r = frugal(['train', recipe('big-batch.json', { name: 'big-batch', train: { epochs: 1, batchSize: 64 } })]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/train\.batchSize is 64 but there are only 24 labelled images/);
  });
});

describe('what a user made is never written over (the binary)', () => {
  /** A folder of someone's files: a note and a photo. */
  function usersFolder(name: string): string {
    const dir = join(root, name);
    mkdirSync(join(dir, 'photos'), { recursive: true });
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    cpSync(join(root, 'train', 'left', '0.png'), join(dir, 'photos', '0.png'));
    return dir;
  }
  const untouched = (dir: string) => expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'photos']);
  const refused = (args: string[], message: RegExp) => {
    const r = frugal(args);
    expect(r.stderr).toMatch(message);
    expect(oneCleanLine(r.stderr), r.stderr).toBe(true);
    expect(r.code).toBe(2);
  };

  it('train, sweep and convert refuse a folder of other files as their output, --force or not', () => {
    const dir = usersFolder('users-run');
    for (const force of [[], ['--force']]) {
      refused(['train', 'bars.json', '--run-dir', dir, ...force], /Run directory .*users-run holds files but no run \(notes\.txt, photos\); give a new or empty directory/);
    }
    refused(['sweep', 'bars.json', '--run-dir', dir, '--set', 'seed=1'], /users-run holds files but no sweep; give a new or empty --run-dir/);
    refused(['convert', 'bars.json', '--model', 'resnet20', '--out', dir, '--force'], /users-run exists and is not a model folder .*; --force replaces only a model folder/);
    untouched(dir);
    refused(['train', 'bars.json', '--run-dir', join(dir, 'notes.txt')], /Run directory .*notes\.txt is a file; give a directory for the run/);
  });

  it('preview and label write over their own output only', () => {
    const recipeText = readFileSync(join(root, 'bars.json'), 'utf8');
    refused(['preview', 'bars.json', '--out', 'bars.json'], /--out: .*bars\.json exists and is not a preview grid frugal preview wrote .*; give another --out, or move it away/);
    expect(readFileSync(join(root, 'bars.json'), 'utf8')).toBe(recipeText);
    refused(['preview', 'bars.json', '--out', join(root, 'train', 'left', '0.png')], /0\.png exists and is not a preview grid/);
    refused(['preview', 'bars.json', '--out', 'grid.jpg'], /--out grid\.jpg: the preview grid is a PNG image; give a name ending in \.png/);
    expect(existsSync(join(root, 'grid.jpg'))).toBe(false);
    for (let i = 0; i < 2; i++) expect(frugal(['preview', 'bars.json', '--out', 'grid.png', '--images', '2', '--versions', '1']).code).toBe(0);

    writeFileSync(join(root, 'hand.csv'), 'file,class\nleft/0.png,left\n');
    const labelInto = (out: string) => ['label', '--teacher', trained, '--unlabelled', join(root, 'test'), '--out', out];
    refused(labelInto('hand.csv'), /--out: .*hand\.csv exists and is not a pseudo-label file frugal label wrote/);
    expect(readFileSync(join(root, 'hand.csv'), 'utf8')).toBe('file,class\nleft/0.png,left\n');
    refused(labelInto(join(root, 'train')), /--out: .*train is a folder; give the path of the file to write/);
    refused(labelInto('pseudo.csv'), /--out pseudo\.csv: the pseudo-labels are JSON lines, which a recipe's labels reads by this ending; give a name ending in \.jsonl/);
    expect(existsSync(join(root, 'pseudo.csv'))).toBe(false);
    for (let i = 0; i < 2; i++) expect(frugal([...labelInto('pseudo.jsonl'), '--quiet']).code).toBe(0);
  });

  it('label and predict refuse a folder none of whose images can be read, and keep the output as it was', () => {
    const unreadable = join(root, 'unreadable');
    mkdirSync(unreadable);
    writeFileSync(join(unreadable, 'a.png'), 'not an image');
    writeFileSync(join(unreadable, 'b.jpg'), readFileSync(join(root, 'train', 'left', '0.png')).subarray(0, 40));
    refused(['predict', trained, unreadable], /^frugal: None of the 2 images in .*unreadable could be decoded \(".*a\.png": .*\); give readable images/);

    const labelInto = (out: string) => ['label', '--teacher', trained, '--unlabelled', unreadable, '--out', out];
    const noImages = /^frugal: Unlabelled image folder ".*unreadable" has no readable images \(all 2 were skipped; "a\.png": .*\); put readable images/;
    refused(labelInto('none.jsonl'), noImages);
    expect(readdirSync(root).filter((f) => f.includes('none.jsonl'))).toEqual([]);
    expect(frugal(['label', '--teacher', trained, '--unlabelled', join(root, 'test'), '--out', 'kept.jsonl', '--quiet']).code).toBe(0);
    const kept = readFileSync(join(root, 'kept.jsonl'), 'utf8');
    expect(kept.split('\n').length).toBeGreaterThan(2);
    refused(labelInto('kept.jsonl'), noImages);
    expect(readFileSync(join(root, 'kept.jsonl'), 'utf8')).toBe(kept);
  });

  it('refuses a --set field that would reach every object', () => {
    for (const field of ['__proto__.polluted', 'train.constructor.prototype.epochs']) {
      refused(['train', 'bars.json', '--set', `${field}=1`], /--set: ".*" names "(__proto__|constructor)", which is no recipe field/);
    }
  });
});

