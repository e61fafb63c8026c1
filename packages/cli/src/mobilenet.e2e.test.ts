import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frugalSync, requireBuiltCli } from './testing/e2e.js';
import { guideSection } from './testing/guide.js';

// The MobileNet guide's commands (docs/guide/mobilenet.md), as written, through the built command.
const root = mkdtempSync(join(tmpdir(), 'frugal-mobilenet-'));
const fixtureScript = join(import.meta.dirname, '..', '..', '..', 'tools', 'fixtures', 'torchvision_fixtures.py');
const torchvision = spawnSync('/usr/bin/python3', ['-c', 'import torchvision'], { encoding: 'utf8' }).status === 0;

beforeAll(requireBuiltCli);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the MobileNet guide (the binary)', () => {
  it('trains its recipe on 200 digits and evaluates the run: a MobileNetV3 whose hard-swish layers load back', () => {
    const { commands, yaml } = guideSection('mobilenet', 'Training one on few labels');
    expect(commands.map((c) => c[0])).toEqual(['train', 'eval']);
    writeFileSync(join(root, 'mobilenet.yaml'), yaml[0]!);
    const [train, evaluation] = commands.map((command) => frugalSync(command, root));
    expect(train?.code, train?.stderr).toBe(0);
    expect(train?.stderr).toContain('Training mobilenet_v3_small');
    expect(evaluation?.code, evaluation?.stderr).toBe(0);
    // Ten classes of 20 test digits each: chance is 10%; 70 steps reach about 58%.
    expect(Number(/^Accuracy: ([\d.]+)%/m.exec(evaluation!.stdout)?.[1])).toBeGreaterThan(30);
    expect(readFileSync(join(root, 'runs', 'digits-mobilenet', 'model', 'model.json'), 'utf8')).toContain('"FrugalHardswish"');
  });

  it.skipIf(!torchvision)(
    `converts a torchvision state dict and predicts an image with it${torchvision ? '' : ' (skipped: /usr/bin/python3 cannot import torchvision; apt-get install python3-torchvision)'}`,
    async () => {
      const { commands } = guideSection('mobilenet', "torchvision's ImageNet weights");
      expect(commands.map((c) => c[0])).toEqual(['convert', 'predict']);
      // torchvision's own network with seeded weights, written as its checkpoint would be converted.
      const written = spawnSync('/usr/bin/python3', [fixtureScript, '--out', root, '--models', 'mobilenet_v3_large', '--size', '64'], { encoding: 'utf8' });
      expect(written.status, written.stderr).toBe(0);
      copyFileSync(join(root, 'mobilenet_v3_large-seed1.weights.safetensors'), join(root, 'mobilenet_v3_large.safetensors'));
      await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 180, g: 90, b: 40 } } }).jpeg().toFile(join(root, 'photo.jpg'));
      const [convert, predict] = commands.map((command) => frugalSync(command, root));
      expect(convert?.code, convert?.stderr).toBe(0);
      const card = JSON.parse(readFileSync(join(root, 'mobilenet-v3-large', 'frugal.json'), 'utf8')) as { inputShape: number[]; classNames: string[] };
      expect(card.inputShape).toEqual([224, 224, 3]);
      expect(card.classNames).toHaveLength(1000);
      expect(predict?.code, predict?.stderr).toBe(0);
      expect(predict!.stdout.trim().split('\n').filter((line) => /^\s+\d\. \S+\s+[\d.]+%$/.test(line))).toHaveLength(5);
    },
  );
});
