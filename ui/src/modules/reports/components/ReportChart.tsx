import { useMemo } from 'react';
import uPlot from 'uplot';

import type { ReportKind } from '@/modules/reports/types/Report';
import { CHART_SERIES, type Row, rowLabel } from '@/modules/reports/utils/reportColumns';
import { UPlotChart } from '@/modules/ui/components/UPlotChart';

type Props = { report: ReportKind; rows: Row[]; title: string };

/** The report's main counts per group as nested bars (one group per x position). */
export function ReportChart({ report, rows, title }: Props) {
  const series = CHART_SERIES[report];
  const labels = rows.map(rowLabel);
  const labelKey = labels.join('\u0000');
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      scales: {
        x: { time: false, range: () => [-0.5, Math.max(0.5, labels.length - 0.5)] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
      },
      axes: [
        {
          stroke: 'currentColor',
          grid: { show: false },
          splits: () => labels.map((_, i) => i),
          values: (_u, splits) => splits.map((i) => (labels[i] ?? '').slice(0, 18)),
        },
        { stroke: 'currentColor', grid: { stroke: '#94a3b833' } },
      ],
      series: [
        {},
        ...series.map(([, label, colour], n) => ({
          label,
          stroke: colour,
          fill: `${colour}cc`,
          paths: uPlot.paths.bars?.({ size: [0.8 - n * 0.25, 80 - n * 25] }),
          points: { show: false },
        })),
      ],
    }),
    // rebuilt only when the labels' text changes, not on every render's new array
    [labelKey, series],
  );
  const data = useMemo<uPlot.AlignedData>(
    () => [rows.map((_, i) => i), ...series.map(([key]) => rows.map((row) => Number(row[key] ?? 0)))],
    [rows, series],
  );
  return <UPlotChart options={options} data={data} label={title} testId="report-chart" height={240} />;
}
