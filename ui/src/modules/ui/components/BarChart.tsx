import 'uplot/dist/uPlot.min.css';

import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

type Props = {
  /** What the chart shows, for screen readers (the values are also in the table beside it). */
  title: string;
  categories: string[];
  values: number[];
  color?: string;
  height?: number;
};

/** One bar per category, drawn with uPlot, followed by the same numbers as a table. */
export function BarChart({ title, categories, values, color = '#0369a1', height = 180 }: Props) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    // Read at every draw, so the axes follow a theme change (redrawn below).
    const ink = () => getComputedStyle(element).color || '#334155';
    const axis = { stroke: ink, grid: { stroke: 'rgba(148,163,184,0.3)' }, ticks: { stroke: 'rgba(148,163,184,0.5)' } };
    const chart = new uPlot(
      {
        width: Math.max(element.clientWidth, 240),
        height,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, categories.length - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(max, 1) * 1.1] } },
        axes: [
          { ...axis, splits: () => categories.map((_, i) => i), values: (_u, splits) => splits.map((i) => categories[i] ?? '') },
          { ...axis, size: 48, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 100_000] },
        ],
        series: [{}, { label: title, stroke: color, fill: color, paths: uPlot.paths.bars!({ size: [0.6, 64] }), points: { show: false } }],
      },
      [categories.map((_, i) => i), values],
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(element.clientWidth, 240), height }));
    resize.observe(element);
    const scheme = window.matchMedia?.('(prefers-color-scheme: dark)');
    const redraw = () => chart.redraw(false, true);
    scheme?.addEventListener('change', redraw);
    return () => {
      scheme?.removeEventListener('change', redraw);
      resize.disconnect();
      chart.destroy();
    };
  }, [title, categories, values, color, height]);
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-medium">{title}</figcaption>
      <div ref={box} role="img" aria-label={`${title}: ${categories.map((c, i) => `${c} ${values[i]}`).join(', ')}`} className="text-slate-700 dark:text-slate-300" />
      <table className="w-full text-xs">
        <tbody>
          <tr>
            {categories.map((c) => (
              <th key={c} scope="col" className="px-1 text-left font-normal text-slate-600 dark:text-slate-400">
                {c}
              </th>
            ))}
          </tr>
          <tr>
            {values.map((v, i) => (
              <td key={categories[i]} className="px-1 font-semibold tabular-nums">
                {v.toLocaleString()}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </figure>
  );
}
