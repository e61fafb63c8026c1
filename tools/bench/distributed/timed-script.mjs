// A benchmark's script run in a node process of its own under /usr/bin/time: its last line of
// output (JSON), peak resident memory and CPU seconds.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Runs ES-module `script` from the repository root (optionally pinned to core 0 with taskset); throws with its stderr when it fails. */
export function timedScript(script, { name, env, pin = false }) {
  const command = [process.execPath, '--input-type=module', '-e', script];
  const full = pin ? ['taskset', '-c', '0', ...command] : command;
  const r = spawnSync('/usr/bin/time', ['-f', 'peak-rss-kb %M cpu-s %U %S', ...full], { cwd: repo, encoding: 'utf8', env, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${name} failed:\n${r.stderr}`);
  const kb = Number(/peak-rss-kb (\d+)/.exec(r.stderr)?.[1]);
  const [, user, system] = /cpu-s ([\d.]+) ([\d.]+)/.exec(r.stderr) ?? [];
  return { ...JSON.parse(r.stdout.trim().split('\n').pop()), peakMB: kb / 1024, cpuSeconds: Number(user) + Number(system) };
}
