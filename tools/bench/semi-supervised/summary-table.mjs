// The bench's results as a Markdown table: test accuracy (mean ± sample standard deviation over
// seeds), wall and CPU seconds per run, for each method in the order they first appear.
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs) => (xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / (xs.length - 1)) : 0);

export function summaryTable(records) {
  const methods = [...new Set(records.map((r) => r.method))];
  const lines = ['| method | seeds | test accuracy (mean ± sd) | min–max | wall s / run | CPU s / run |', '|---|---|---|---|---|---|'];
  for (const method of methods) {
    const rs = records.filter((r) => r.method === method);
    const acc = rs.map((r) => r.accuracy * 100);
    lines.push(
      `| ${method} | ${rs.map((r) => r.seed).join(',')} | ${mean(acc).toFixed(1)} ± ${std(acc).toFixed(1)} | ` +
        `${Math.min(...acc).toFixed(1)}–${Math.max(...acc).toFixed(1)} | ${mean(rs.map((r) => r.seconds)).toFixed(0)} | ${mean(rs.map((r) => r.cpuSeconds)).toFixed(0)} |`,
    );
  }
  return lines.join('\n');
}
