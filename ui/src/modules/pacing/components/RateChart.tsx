import { useMemo } from 'react';
import type uPlot from 'uplot';

import { WINDOW_SECONDS } from '@/modules/pacing/states/emailPacingReducer';
import type { RatePoint } from '@/modules/pacing/types/RatePoint';
import { UPlotChart } from '@/modules/ui/components/UPlotChart';

const OPTIONS: Omit<uPlot.Options, 'width' | 'height'> = {
  scales: {
    // always the last 15 minutes, however few samples there are yet
    x: { time: true, range: (_u, _min, max) => [max - WINDOW_SECONDS, max] },
    y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.15)] },
  },
  axes: [
    { stroke: 'currentColor', grid: { stroke: '#94a3b833' } },
    // wide enough for "100,000" beside the axis label
    { stroke: 'currentColor', grid: { stroke: '#94a3b833' }, label: 'messages / min', size: 72 },
  ],
  series: [
    {},
    { label: 'Set rate', stroke: '#0369a1', width: 2, dash: [6, 4] },
    { label: 'Actual rate', stroke: '#059669', width: 2, fill: '#05966922' },
  ],
  legend: { show: true },
};

/** The set rate against the actual rate (messages sent in the last minute), last 15 minutes. */
export function RateChart({ points, name }: { points: RatePoint[]; name: string }) {
  const data = useMemo<uPlot.AlignedData>(
    () => [points.map((p) => p.t), points.map((p) => p.set), points.map((p) => p.actual)],
    [points],
  );
  return (
    <UPlotChart
      options={OPTIONS}
      data={data}
      height={180}
      label={`Set and actual sending rate of ${name} over the last 15 minutes`}
      testId="rate-chart"
    />
  );
}
