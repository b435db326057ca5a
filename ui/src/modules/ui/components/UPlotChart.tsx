import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

type Props = {
  /** Series, scales and axes; width and height come from the container. */
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  /** What the chart shows, for screen readers (the numbers are in a table or text nearby). */
  label: string;
  height?: number;
  testId?: string;
};

/**
 * A uPlot chart that fills its container's width. It is built once per `options` and fed new
 * `data` in place, so a live chart redraws cheaply every second.
 */
export function UPlotChart({ options, data, label, height = 220, testId }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latestData = useRef(data);
  latestData.current = data;

  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const plot = new uPlot({ ...options, width: element.clientWidth || 600, height }, latestData.current, element);
    chart.current = plot;
    const observer =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver(() => plot.setSize({ width: element.clientWidth || 600, height }));
    observer?.observe(element);
    return () => {
      observer?.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, [options, height]);

  useEffect(() => {
    chart.current?.setData(data);
  }, [data]);

  return <div ref={box} role="img" aria-label={label} data-testid={testId} className="w-full text-slate-700 dark:text-slate-300" />;
}
