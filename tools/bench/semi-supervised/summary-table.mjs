// The bench's results as a Markdown table: test accuracy (mean ± sample standard deviation over
// seeds), wall and CPU seconds per run, for each method in the order they first appear. Runs with
// labelled sets of several sizes (--labelled-per-class) get a row per method and size, smallest first.
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs) => (xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / (xs.length - 1)) : 0);

export function summaryTable(records) {
  const bySize = new Set(records.map((r) => r.labelled)).size > 1;
  const rowOf = (r) => (bySize ? `${r.method}, ${r.labelled} labelled` : r.method);
  const methods = [...new Set(records.map((r) => r.method))];
  const sorted = [...records].sort((a, b) => methods.indexOf(a.method) - methods.indexOf(b.method) || a.labelled - b.labelled);
  const rows = [...new Set(sorted.map(rowOf))];
  const lines = ['| method | seeds | test accuracy (mean ± sd) | min–max | wall s / run | CPU s / run |', '|---|---|---|---|---|---|'];
  for (const row of rows) {
    const rs = records.filter((r) => rowOf(r) === row);
    const acc = rs.map((r) => r.accuracy * 100);
    lines.push(
      `| ${row} | ${rs.map((r) => r.seed).join(',')} | ${mean(acc).toFixed(1)} ± ${std(acc).toFixed(1)} | ` +
        `${Math.min(...acc).toFixed(1)}–${Math.max(...acc).toFixed(1)} | ${mean(rs.map((r) => r.seconds)).toFixed(0)} | ${mean(rs.map((r) => r.cpuSeconds)).toFixed(0)} |`,
    );
  }
  return lines.join('\n');
}

const FRAMEWORKS = ['pytorch', 'frugal'];
const cell = (acc) => (acc.length ? `${mean(acc).toFixed(1)} ± ${std(acc).toFixed(1)}` : '–');

/** A difference to one decimal with its sign, `+0.7` or `−0.9` (a minus sign, as the README's tables write it). */
const signed = (x) => {
  const rounded = Number(x.toFixed(1));
  return `${rounded < 0 ? '−' : '+'}${Math.abs(rounded).toFixed(1)}`;
};

/**
 * Step-matched parity of Frugal's runs (bench.mjs) with torch_reference.py's: for each dataset, scale
 * and method, the test accuracy of each framework (mean ± sd over seeds, in %), the optimizer steps a
 * run took, and Frugal's difference to PyTorch. Records without a `framework` field are Frugal's.
 */
export function parityTable(records) {
  const frameworkOf = (r) => r.framework ?? 'frugal';
  const keyOf = (r) => `${r.dataset}|${r.scale}|${r.method}`;
  const keys = [...new Set(records.map(keyOf))];
  const lines = [
    '| dataset | scale | method | steps | seeds | PyTorch | Frugal | Frugal − PyTorch |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const key of keys) {
    const rs = records.filter((r) => keyOf(r) === key);
    const [dataset, scale, method] = key.split('|');
    const acc = Object.fromEntries(FRAMEWORKS.map((f) => [f, rs.filter((r) => frameworkOf(r) === f).map((r) => r.accuracy * 100)]));
    const steps = [...new Set(rs.map((r) => r.steps).filter((s) => s !== undefined))].join(' / ') || '–';
    const seeds = FRAMEWORKS.map((f) => rs.filter((r) => frameworkOf(r) === f).map((r) => r.seed).join(',') || '–').join(' / ');
    const gap = acc.pytorch.length && acc.frugal.length ? signed(mean(acc.frugal) - mean(acc.pytorch)) : '–';
    lines.push(`| ${dataset} | ${scale} | ${method} | ${steps} | ${seeds} | ${cell(acc.pytorch)} | ${cell(acc.frugal)} | ${gap} |`);
  }
  return lines.join('\n');
}
