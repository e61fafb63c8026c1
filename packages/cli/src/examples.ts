/** Examples shown under each command's --help ('' is the top-level help). */
export const EXAMPLES: Record<string, string[]> = {
  '': ['frugal doctor', 'frugal train recipe.yaml', 'frugal eval runs/recipe', 'frugal list models', 'source <(frugal completion bash)'],
  train: [
    'frugal train recipe.yaml                       # outputs in <output.dir>/<recipe name>',
    'frugal train recipe.yaml --run-dir runs/try-2 --backend wasm',
    'frugal train recipe.yaml --force               # start the run over',
    'frugal train recipe.yaml --set train.epochs=5 --set seed=1 --run-dir runs/short',
    'frugal train --resume runs/recipe              # continue after Ctrl-C',
  ],
  eval: [
    'frugal eval runs/recipe',
    'frugal eval runs/recipe --data photos/ --json   # photos/<class>/<image>',
    'frugal eval runs/recipe --data /shared/test --queue redis://10.0.0.5:6379',
  ],
  predict: ['frugal predict runs/recipe cat.png dog.jpg', 'frugal predict runs/recipe photos/ --top 1 --json   # every image in the folder', 'frugal predict models/resnet18 photo.jpg --top 5   # a model frugal convert wrote'],
  preview: ['frugal preview recipe.yaml', 'frugal preview recipe.yaml --out grid.png --images 4 --versions 8'],
  convert: [
    'frugal convert resnet18.safetensors --model resnet18 --out models/resnet18',
    'frugal convert resnet18.safetensors --model resnet18 --class-names imagenet-classes.txt --out models/resnet18',
    'frugal convert googlenet.safetensors --model googlenet --num-classes 1000 --out models/googlenet',
  ],
  doctor: ['frugal doctor', 'frugal doctor --backend wasm --json'],
  list: [
    'frugal list                                    # every registry',
    'frugal list models --json',
    "frugal list augmentations --recipe recipe.yaml # with the recipe's plugins",
    'frugal list --plugin @acme/frugal-plugin-blur  # with a package of this project',
  ],
  demo: ['frugal demo', 'frugal demo --quick --run-dir runs/demo-quick', 'frugal demo --resume                             # after a Ctrl-C'],
  ladder: [
    'frugal ladder ladder.yaml',
    'frugal ladder ladder.yaml --seeds 0-2 --jobs 2 --run-dir runs/ladder-3-seeds  # two rungs at a time',
    'frugal ladder ladder.yaml --set rungs.fixmatch.train.epochs=1 --run-dir runs/ladder-short  # a quick look',
    'frugal ladder ladder.yaml --resume                # after a Ctrl-C: the finished rungs are kept',
  ],
  suggest: [
    'frugal suggest runs/recipe --count 50 --out to-label.csv',
    'frugal suggest runs/recipe --count 50 --out to-label.csv --by margin',
  ],
  label: [
    'frugal label --teacher runs/recipe --unlabelled photos/ --out pseudo-labels.jsonl',
    'frugal label --teacher runs/recipe --unlabelled /shared/photos --out labels.jsonl --queue redis://10.0.0.5:6379',
    'frugal label --teacher runs/recipe --unlabelled /shared/photos --out /shared/labels.jsonl --shard-index "$JOB_COMPLETION_INDEX"',
  ],
  sweep: [
    'frugal sweep recipe.yaml --seeds 0-9',
    'frugal sweep recipe.yaml --seeds 0-4 --set train.optimizer.lr=0.01,0.03 --queue redis://10.0.0.5:6379',
  ],
  worker: ['frugal worker --queue redis://10.0.0.5:6379', 'frugal worker --queue redis://10.0.0.5:6379 --teacher runs/recipe'],
  completion: ['source <(frugal completion bash)              # this shell', 'frugal completion zsh >> ~/.zshrc              # every zsh'],
};
