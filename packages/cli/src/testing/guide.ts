import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const guides = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'docs', 'guide');

/** What a section of a docs/guide page shows, for a test that runs it as written. */
export interface GuideSection {
  /** Each `frugal` line of its shell blocks, as the arguments after `frugal`, comments left out. */
  commands: string[][];
  /** Its YAML blocks. */
  yaml: string[];
}

/** The section of `docs/guide/PAGE.md` under the heading `## HEADING`, up to the next `## ` heading. */
export function guideSection(page: string, heading: string): GuideSection {
  const text = readFileSync(join(guides, `${page}.md`), 'utf8');
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/guide/${page}.md has no section "## ${heading}"`);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  const blocks = (language: string) => [...section.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1] as string);
  const commands = blocks('sh')
    .flatMap((block) => block.split('\n'))
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line.startsWith('frugal '))
    .map((line) => line.split(/\s+/).slice(1));
  return { commands, yaml: blocks('yaml') };
}
