import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { UsageSummary } from '../client';

/** `what`: what the summary totals, Consumption or a channel such as Export. */
type UsageChartProps = { summary: UsageSummary; what: string; threshold: number | null };

function chartData(summary: UsageSummary, threshold: number | null): uPlot.AlignedData {
  const { buckets } = summary;
  const data: uPlot.AlignedData = [
    buckets.map((bucket) => Date.parse(bucket.start) / 1000),
    buckets.map((bucket) => bucket.kwh),
    buckets.map((bucket) => bucket.max_kwh),
  ];
  return threshold == null ? data : [...data, buckets.map(() => threshold)];
}

const DAY = 86_400;
// Tick steps no finer than the buckets: a chart of days never marks noon. uPlot reads a step of
// 28 days or more as whole calendar months.
const TICK_STEPS = {
  hour: undefined,
  day: [1, 2, 7, 14, 28, 56, 84, 168, 365].map((days) => days * DAY),
  month: [28, 56, 84, 168, 365].map((days) => days * DAY),
};

function options({ summary, what, threshold }: UsageChartProps, width: number): uPlot.Options {
  const points = { show: summary.buckets.length <= 400, size: 5 };
  const series: uPlot.Series[] = [
    { label: 'Bucket start' },
    { label: what, stroke: '#0f766e', fill: 'rgba(15, 118, 110, 0.12)', width: 2, points },
    { label: 'Largest reading', stroke: '#6366f1', width: 1.5, points },
  ];
  if (threshold != null) {
    series.push({
      label: 'Threshold',
      stroke: '#dc2626',
      dash: [6, 4],
      width: 1.5,
      points: { show: false },
    });
  }
  return {
    width,
    height: 280,
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), summary.timezone),
    series,
    axes: [{ incrs: TICK_STEPS[summary.interval] }, { label: 'kWh', size: 60 }],
    legend: { live: false },
    hooks: {
      // Recorded for the console bench: from the chart's creation to its first drawing.
      draw: [() => performance.mark('usage-chart-drawn')],
    },
  };
}

/** kWh per bucket of what the summary totals, the largest single reading of each, and the threshold as a dashed line. */
export function UsageChart({ summary, what, threshold }: UsageChartProps) {
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = target.current;
    if (!element) return;
    performance.mark('usage-chart-start');
    const chart = new uPlot(
      options({ summary, what, threshold }, element.clientWidth),
      chartData(summary, threshold),
      element,
    );
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: element.clientWidth, height: 280 }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [summary, what, threshold]);
  return (
    <div
      ref={target}
      className="chart"
      role="img"
      aria-label={`${what} in kWh per ${summary.interval}, with the threshold as a dashed line`}
    />
  );
}
