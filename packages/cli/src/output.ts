import { palette, type Palette } from './colour.js';

/** How a command talks to the user: human text on stdout/stderr, or one JSON document with --json. */
export interface Output {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** Styles for stdout: ANSI colours on a TTY (unless NO_COLOR), plain text elsewhere and with --json. */
  readonly colours: Palette;
  /** A line for humans (suppressed by --quiet and --json). */
  info(message: string): void;
  /** Progress and notices on stderr (suppressed by --quiet). */
  note(message: string): void;
  /** The command's result: printed as JSON with --json, else by `human`. */
  result(value: unknown, human: () => string): void;
}

export function createOutput(options: { json?: boolean; quiet?: boolean; verbose?: boolean }): Output {
  const json = Boolean(options.json);
  const quiet = Boolean(options.quiet);
  return {
    json,
    quiet,
    verbose: Boolean(options.verbose),
    colours: palette(json ? ({ isTTY: false } as NodeJS.WriteStream) : process.stdout),
    info(message) {
      if (!quiet && !json) process.stdout.write(`${message}\n`);
    },
    note(message) {
      if (!quiet) process.stderr.write(`${message}\n`);
    },
    result(value, human) {
      if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      else if (!quiet) process.stdout.write(`${human()}\n`);
    },
  };
}
