import { Command, CommanderError, Option } from 'commander';
import { isInputError } from '@frugal/core';
import { ACQUISITIONS } from '@frugal/active-learning';
import { createOutput, type Output } from './output.js';
import { palette } from './colour.js';
import { completionScript, SHELLS } from './completion.js';
import { EXAMPLES } from './examples.js';
import { applyPrecisionFlag } from './precision.js';
import { applyThreadsFlag } from './threads.js';
import { UsageError } from './usage-error.js';

/** Exit codes: 0 done, 1 failure, 2 bad input (command line, recipe, data, files), 130 interrupted. */
export const EXIT = { ok: 0, failure: 1, badInput: 2, interrupted: 130 } as const;

/** File-system errors caused by a path the user gave: exit 2, with what to do. */
const PATH_ERRORS: Record<string, string> = {
  ENAMETOOLONG: 'a name in it is too long; choose a shorter one',
  ENOTDIR: 'a part of it is a file, not a folder; choose another path',
  EISDIR: 'it is a folder where a file is needed; give a file',
  EACCES: 'permission denied; check its permissions, or choose another path',
  EPERM: 'operation not permitted; check its permissions, or choose another path',
  EROFS: 'it is on a read-only file system; choose another path',
  ELOOP: 'it goes through a loop of symbolic links; fix the links',
};

interface GlobalFlags {
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

function program(run: (fn: (out: Output) => Promise<number>) => Promise<void>): Command {
  const cli = new Command('frugal')
    .description('Train image classifiers from few labels: augmentation, transfer, distillation, semi-supervised learning')
    .version('0.1.0')
    .option('--json', 'print results as JSON (for scripts)')
    .option('-q, --quiet', 'print nothing but errors')
    .option('--verbose', 'print stack traces of errors')
    .option('--threads <n>', "threads of the native backend (default: the recipe's threads, FRUGAL_NUM_THREADS, else one per core)")
    .option('--precision <p>', "float32, or bfloat16: the native backend's convolutions in bfloat16 (default: the recipe's precision, FRUGAL_PRECISION, else float32)")
    .exitOverride()
    // Usage errors are printed by main() as one line; help is styled where colours show.
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: () => undefined })
    .configureHelp({
      styleTitle: (s) => palette(process.stdout).bold(s),
      styleCommandText: (s) => palette(process.stdout).cyan(s),
      styleSubcommandText: (s) => palette(process.stdout).cyan(s),
    });
  const backend = () => new Option('--backend <name>', 'tensorflow-gpu, tensorflow, native, wasm, cpu or auto');
  // Each command's module loads when the command runs: help, the version and a mistyped flag load none.

  cli
    .command('train')
    .description('run a recipe (YAML or JSON) into a run directory')
    .argument('[recipe]', 'recipe file')
    .option('--run-dir <dir>', 'where outputs go (default: <output.dir>/<recipe name>)')
    .option('--resume <runDir>', 'continue an interrupted run from its last checkpoint')
    .option('--force', 'overwrite an existing run directory')
    .option('--set <field=value...>', 'a recipe field and its value for this run, e.g. train.epochs=5 (repeatable)')
    .addOption(backend())
    .action((recipe, flags) => run(async (out) => (await import('./commands/train.js')).train(recipe, flags, out)));
  cli
    .command('eval')
    .description('accuracy, per-class table and confusion matrix of a trained run')
    .argument('<runDir>', 'run directory written by frugal train (or, with --data, a model folder written by frugal convert)')
    .option('--data <dir>', 'a folder of labelled images (dir/<class>/<image>, classes named as the model\'s or one folder per class in order), streamed in shards; default: the recipe\'s test set')
    .option('--queue <url>', 'redis://HOST:PORT: the --data folder evaluated in shards by frugal worker processes (default: this process)')
    .option('--batch-size <n>', 'with --data: images per forward pass', '64')
    .option('--shard-size <n>', 'with --data: images per shard (a multiple of the batch size)', '1024')
    .option('--decode-threads <n>', 'with --data: threads decoding images (in-process)', '1')
    .addOption(backend())
    .action((runDir, flags) => run(async (out) => (await import('./commands/eval.js')).evalCommand(runDir, flags, out)));
  cli
    .command('predict')
    .description('top-k classes of images, with probabilities')
    .argument('<runDir>', 'run directory written by frugal train, or a model folder written by frugal convert')
    .argument('<images...>', 'image files of any size, or folders of them: fitted to the model as its training images were')
    .option('--top <k>', 'how many classes to show', '3')
    .addOption(backend())
    .action((runDir, images, flags) => run(async (out) => (await import('./commands/predict.js')).predict(runDir, images, flags, out)));
  cli
    .command('preview')
    .description('write a PNG grid of the recipe\'s augmentations')
    .argument('<recipe>', 'recipe file')
    .option('--out <file>', 'PNG to write', 'augmentation-preview.png')
    .option('--images <n>', 'images (rows)', '8')
    .option('--versions <k>', 'augmented versions per image (columns)', '6')
    .addOption(backend())
    .action((recipe, flags) => run(async (out) => (await import('./commands/preview.js')).preview(recipe, flags, out)));
  cli
    .command('convert')
    .description('torchvision/timm safetensors weights -> TensorFlow.js model directory')
    .argument('<weights>', '.safetensors file')
    .requiredOption('--model <name>', 'model name, e.g. resnet18, googlenet')
    .requiredOption('--out <dir>', 'model directory to write')
    .option('--num-classes <n>', 'classes of the head (default: as many as --class-names lists, else 1000)')
    .option('--class-names <file>', 'a text file naming the classes, one a line, in the head\'s order (default: 0, 1, 2, ...)')
    .option('--input-size <n>', 'input height and width (default: the size its pretrained weights were trained at, e.g. 224, 299 for inception_v3)')
    .option('--force', 'replace an existing model folder')
    .addOption(backend())
    .action((weights, flags) => run(async (out) => (await import('./commands/convert.js')).convert(weights, flags, out)));
  cli
    .command('doctor')
    .description('backend chosen and why, versions, threads/SIMD, GPU')
    .addOption(backend())
    .action((flags) => run(async (out) => (await import('./commands/doctor.js')).doctor(flags, out)));
  cli
    .command('list')
    .description('registered models, augmentations, strategies, datasets, backends, callbacks')
    .argument('[kind]', 'models | augmentations | strategies | datasets | backends | callbacks')
    .option('--recipe <file>', "also load the recipe's plugins (resolved from its folder, then the current project)")
    .option('--plugin <name...>', 'also load these plugin packages (resolved from the current project)')
    .action((kind, flags) => run(async (out) => (await import('./commands/list.js')).list(kind, flags, out)));
  cli
    .command('demo')
    .description('the data-efficiency ladder on MNIST digits with 10 labelled images per class')
    .option('--run-dir <dir>', 'where the demo writes its runs and report', 'runs/demo')
    .option('--labelled-per-class <n>', 'labelled images per class', '10')
    .option('--seed <n>', 'seed', '0')
    .option('--quick', 'a much shorter ladder (for tests)')
    .option('--force', 'overwrite an existing demo directory')
    .option('--resume', 'continue a demo that was interrupted: finished rungs are kept, the interrupted one resumes from its last checkpoint')
    .addOption(backend())
    .action((flags) => run(async (out) => (await import('./commands/demo.js')).demo(flags, out)));
  cli
    .command('ladder')
    .description('climb a ladder file: every rung a recipe that starts from the rung below; a table of what each bought')
    .argument('<ladder>', 'a ladder file (YAML or JSON): a recipe with a list of rungs')
    .option('--seeds <list>', 'climb it once per seed (0,1,2 or 0-2); the table shows mean ± sd')
    .option('--run-dir <dir>', 'where the runs and the report go (default: runs/<ladder file name>)')
    .option('--force', 'climb again into a folder that holds a ladder')
    .option('--resume', 'continue a climb that was interrupted, in its --run-dir: finished rungs are kept, the interrupted one resumes from its last checkpoint')
    .option('--jobs <n>', 'rungs (and seeds) that do not wait for each other train at once, up to n, each in a process of its own on 1/n of the cores (even when it trains alone)', '1')
    .option('--set <field=value...>', 'a field of the part every rung shares, or of one rung (rungs.NAME.FIELD), and its value, e.g. rungs.fixmatch.train.epochs=20 (repeatable)')
    .addOption(backend())
    .action((file, flags) => run(async (out) => (await import('./commands/ladder.js')).ladder(file, flags, out)));
  cli
    .command('label')
    .description('pseudo-label a folder of unlabelled images with a trained run, in shards; with --queue, on frugal workers')
    .requiredOption('--teacher <runDir>', 'the teacher: a run directory (frugal train) or a model folder (frugal convert)')
    .requiredOption('--unlabelled <dir>', 'folder of unlabelled images (any layout)')
    .requiredOption('--out <file>', 'pseudo-label file to write (JSON lines, in file order; a recipe trains a student on it with strategy.params.teacherLabels)')
    .option('--queue <url>', 'redis://HOST:PORT: shards become jobs for frugal worker (default: this process labels them)')
    .option('--batch-size <n>', 'images per forward pass', '64')
    .option('--shard-size <n>', 'images per shard (a multiple of the batch size)', '1024')
    .option('--decode-threads <n>', 'threads decoding images (in-process)', '1')
    .option('--disk-cache <dir>', 'keep decoded pixels in this folder (in-process)')
    .option('--shard-index <n>', 'label only shard n and store it (one task of an indexed batch job); a run without it joins the shards')
    .addOption(backend())
    .action((flags) => run(async (out) => (await import('./commands/label.js')).label(flags, out)));
  cli
    .command('suggest')
    .description("choose the unlabelled images of a run's folder that are worth labelling next; a CSV to fill in")
    .argument('<runDir>', 'a run trained on image-folder with labels (or unlabelledDir)')
    .requiredOption('--count <n>', 'how many images to choose')
    .requiredOption('--out <file>', 'the CSV to write (file,class,predicted,confidence; never written over)')
    .option('--by <method>', `how to choose. ${[...ACQUISITIONS.values()].map((a) => `${a.name}: ${a.description}`).join('; ')}`, 'typical')
    .option('--seed <n>', "seed of the choice (default: the run's seed)")
    .option('--batch-size <n>', 'images per forward pass', '64')
    .addOption(backend())
    .action((runDir, flags) => run(async (out) => (await import('./commands/suggest.js')).suggest(runDir, flags, out)));
  cli
    .command('sweep')
    .description('run a recipe over seeds and settings (each run a job for frugal worker with --queue); mean ± sd per setting and a report')
    .argument('<recipe>', 'recipe file')
    .option('--seeds <list>', "seeds, e.g. 0-9 or 0,1,2 (default: the recipe's seed)")
    .option('--set <field=values...>', 'a recipe field and the values to try, e.g. train.optimizer.lr=0.01,0.03 or augment=["flip"],["flip","cutout"] (repeatable)')
    .option('--run-dir <dir>', 'where the runs and the report go (default: runs/<recipe file name>-sweep)')
    .option('--queue <url>', 'redis://HOST:PORT: each run a job for frugal worker (default: this process runs them)')
    .option('--force', 'sweep again into a folder that holds a sweep')
    .addOption(backend())
    .action((file, flags) => run(async (out) => (await import('./commands/sweep.js')).sweep(file, flags, out)));
  cli
    .command('worker')
    .description('take label, eval and sweep jobs from a queue until stopped (any number, on any machine with the same files)')
    .requiredOption('--queue <url>', 'redis://HOST:PORT')
    .option('--teacher <runDir>', "the teacher this worker holds; jobs for other weights are refused (default: each job's run directory)")
    .option('--lock-duration <ms>', 'how long a job stays with a silent worker before another takes it', '30000')
    .option('--decode-threads <n>', 'threads decoding images', '1')
    .addOption(backend())
    .action((flags) => run(async (out) => (await import('./commands/worker.js')).worker(flags, out)));
  cli
    .command('completion')
    .description('print a shell completion script (commands, flags, list kinds)')
    .argument('<shell>', SHELLS.join(' | '))
    .action((shell) => run(async () => {
      process.stdout.write(completionScript(cli, shell));
      return 0;
    }));
  for (const command of cli.commands) {
    const examples = EXAMPLES[command.name()];
    if (examples) command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  ${e}`).join('\n')}`);
  }
  cli.addHelpText('after', `\nExamples:\n${EXAMPLES['']!.map((e) => `  ${e}`).join('\n')}\n\nRun frugal <command> --help for a command's flags and examples.`);
  return cli;
}

/** `--seeds ''` (an unset shell variable) would act as if the flag were left out: refused, naming it. */
function refuseEmptyValues(command: Command): void {
  for (const option of command.options) {
    const value: unknown = command.getOptionValue(option.attributeName());
    if (typeof value === 'string' && value.trim() === '') throw new UsageError(`${option.long ?? option.flags}: got an empty value; give one, or leave the flag out`);
  }
}

/** `frugal:` before an error, red where stderr shows colours. */
function errorPrefix(): string {
  const c = palette(process.stderr);
  return c.bold(c.red('frugal:'));
}

/** Runs the `frugal` command line; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  let globals: GlobalFlags = {};
  const run = async (fn: (out: Output) => Promise<number>) => {
    code = await fn(createOutput(globals));
  };
  const cli = program(run);
  cli.hook('preAction', async (root, action) => {
    for (const command of [root, action]) refuseEmptyValues(command);
    globals = root.opts<GlobalFlags>();
    // TensorFlow.js's own notices (the CPU backend's "install our node backend" banner) go with the rest.
    if (globals.quiet) (await import('@tensorflow/tfjs-core')).env().set('PROD', true);
    applyThreadsFlag(root.opts<{ threads?: string }>().threads);
    applyPrecisionFlag(root.opts<{ precision?: string }>().precision);
  });
  try {
    await cli.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      const command = argv.find((a) => cli.commands.some((c) => c.name() === a));
      const what = error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
      process.stderr.write(`${errorPrefix()} ${what}; run frugal ${command ? `${command} ` : ''}--help for usage\n`);
      return EXIT.badInput;
    }
    const verbose = globals.verbose ?? argv.includes('--verbose');
    const message = error instanceof Error ? error.message : String(error);
    const fsCode = (error as NodeJS.ErrnoException | undefined)?.code;
    if (fsCode && PATH_ERRORS[fsCode]) {
      const path = (error as NodeJS.ErrnoException).path;
      process.stderr.write(`${errorPrefix()} cannot use ${path ?? 'a path'}: ${PATH_ERRORS[fsCode]}\n`);
      if (verbose && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      return EXIT.badInput;
    }
    if (isInputError(error)) {
      process.stderr.write(`${errorPrefix()} ${message}\n`);
      if (verbose && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      return EXIT.badInput;
    }
    process.stderr.write(`${errorPrefix()} ${message}\n`);
    if (verbose && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    else process.stderr.write('(run with --verbose for details)\n');
    return EXIT.failure;
  }
}
