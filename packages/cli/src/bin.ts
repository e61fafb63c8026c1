#!/usr/bin/env node
// --verbose prints stack traces: with the bundles' source maps they name the TypeScript sources.
// Node reads a module's map only if maps are on when it loads, hence before main and its imports.
if (process.argv.includes('--verbose')) process.setSourceMapsEnabled(true);
const { main } = await import('./main.js');

// A reader that stops early (`frugal list models | head -1`) closes the pipe: stop quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

process.exitCode = await main(process.argv.slice(2));
