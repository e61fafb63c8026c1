// The README's install section, as the registry test runs it: its code blocks, in order.
import { readFileSync } from 'node:fs';

/** The fenced code blocks (language and text) between the heading `## NAME` and the next `## `. */
export function sectionBlocks(readmeFile, heading) {
  const text = readFileSync(readmeFile, 'utf8');
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`${readmeFile} has no "## ${heading}" section`);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], text: m[2] }));
}

/** The commands of a shell block: one per line, comments and blank lines dropped. */
export function commands(block) {
  return block.text
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line && !line.startsWith('#'));
}

/** The file a block names in its first line (`# recipe.yaml: ...`, `// first-model.mjs: ...`). */
export function fileName(block) {
  const m = /^(?:#|\/\/)\s*([\w.-]+\.\w+)/.exec(block.text);
  if (!m) throw new Error(`a ${block.lang} block does not name its file in its first line:\n${block.text}`);
  return m[1];
}
