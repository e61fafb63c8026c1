import type { TopLevelSpec } from 'vega-lite';

/** Renders a Vega-Lite spec to SVG text (headless, no canvas needed). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Loaded here, not at the top: Vega is some 400 modules, and only a finished run draws charts.
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The same chart as a PNG (sharp rasterises the SVG). */
export async function svgToPng(svg: string, density = 144): Promise<Buffer> {
  const { default: sharp } = await import('sharp'); // on first use: a command that touches no image starts without libvips
  return sharp(Buffer.from(svg), { density }).flatten({ background: '#ffffff' }).png().toBuffer();
}

const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', background: 'white' } as const;

/** Loss and accuracy per epoch (training and, where present, validation). */
export function curvesSpec(history: readonly Record<string, number>[], title: string): TopLevelSpec {
  const rows = history.flatMap((h) =>
    Object.entries(h)
      .filter(([k]) => k !== 'epoch' && k !== 'lr' && k !== 'gradNorm')
      .map(([k, v]) => ({
        epoch: h.epoch,
        value: v,
        metric: k.toLowerCase().includes('loss') ? 'loss' : 'accuracy',
        series: k,
      })),
  );
  return {
    ...base,
    title,
    data: { values: rows },
    columns: 2,
    facet: { field: 'metric', type: 'nominal', title: null },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 280,
      height: 180,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
        y: { field: 'value', type: 'quantitative', title: null },
        color: { field: 'series', type: 'nominal', title: null },
      },
    },
  } as TopLevelSpec;
}

/** The confusion matrix as a heat map with counts. */
export function confusionSpec(confusion: readonly (readonly number[])[], classNames: readonly string[], title: string): TopLevelSpec {
  const values = confusion.flatMap((row, t) => row.map((count, p) => ({ actual: classNames[t], predicted: classNames[p], count })));
  const order = [...classNames];
  return {
    ...base,
    title,
    data: { values },
    width: Math.max(200, 28 * classNames.length),
    height: Math.max(200, 28 * classNames.length),
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: order },
      y: { field: 'actual', type: 'nominal', sort: order },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues' } } } },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${Math.max(...confusion.flat()) / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Accuracy per rung of the data-efficiency ladder. */
export function ladderSpec(rows: readonly { rung: string; accuracy: number }[], title: string): TopLevelSpec {
  return {
    ...base,
    title,
    data: { values: rows.map((r) => ({ ...r, label: `${(100 * r.accuracy).toFixed(1)}%` })) },
    width: 420,
    height: 28 * rows.length,
    encoding: {
      y: { field: 'rung', type: 'nominal', sort: rows.map((r) => r.rung), title: null },
      x: { field: 'accuracy', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '%' }, title: 'test accuracy' },
    },
    layer: [
      { mark: { type: 'bar', color: '#4c78a8' } },
      { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { text: { field: 'label' } } },
    ],
  } as TopLevelSpec;
}
