// Reads the JSDoc comments written above zod schema fields in the packages' sources, so that the
// generated recipe reference can describe each field the way its source does.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** Every non-test .ts file under `dir`. */
function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function commentOf(node, sourceFile) {
  // The raw comment, not the JSDoc parse: "(with @frugal/runtime-gpu)" is text, not a tag.
  const ranges = ts.getLeadingCommentRanges(sourceFile.text, node.getFullStart()) ?? [];
  return ranges
    .map((r) => sourceFile.text.slice(r.pos, r.end))
    .filter((c) => c.startsWith('/**'))
    .map((c) => c.replace(/^\/\*\*|\*\/$/g, '').replace(/^\s*\* ?/gm, ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The object literals of the sources: for each, its keys and the comments of the commented ones.
 * `describe(keys)` picks, for one object schema, the literal sharing the
 * most keys with it, so that a field named `lr` in one schema does not take the comment of
 * another schema's `lr`.
 */
export function schemaComments(packageDirs) {
  const literals = [];
  for (const dir of packageDirs) {
    for (const file of sourceFiles(join(dir, 'src'))) {
      const sourceFile = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node) => {
        if (ts.isObjectLiteralExpression(node)) {
          const keys = new Set();
          const comments = new Map();
          for (const prop of node.properties) {
            if (!prop.name || !(ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name))) continue;
            keys.add(prop.name.text);
            const comment = commentOf(prop, sourceFile);
            if (comment) comments.set(prop.name.text, comment);
          }
          if (keys.size) literals.push({ keys, comments });
        }
        ts.forEachChild(node, visit);
      };
      visit(sourceFile);
    }
  }
  return {
    /** Comments for the fields of an object schema with these keys. */
    describe(keys) {
      const want = new Set(keys);
      const out = new Map();
      for (const key of want) {
        let best;
        let bestScore = 0;
        // The literal most like this schema among those declaring the key; its comment or none.
        for (const lit of literals) {
          if (!lit.keys.has(key)) continue;
          let shared = 0;
          for (const k of lit.keys) if (want.has(k)) shared++;
          const score = shared / (lit.keys.size + want.size - shared);
          if (score > bestScore) [best, bestScore] = [lit.comments.get(key), score];
        }
        if (best && bestScore >= 0.3) out.set(key, best);
      }
      return out;
    },
  };
}
