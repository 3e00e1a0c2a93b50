import { useState } from 'react';
import type { Summary } from '../api/hooks';
import { formatNumber } from '../format';

const STEP = 100;

function bucketLabel(summary: Summary, start: string): string {
  const style: Intl.DateTimeFormatOptions =
    summary.interval === 'hour'
      ? { dateStyle: 'medium', timeStyle: 'short' }
      : summary.interval === 'day'
        ? { dateStyle: 'medium' }
        : { year: 'numeric', month: 'long' };
  return new Intl.DateTimeFormat(undefined, { ...style, timeZone: summary.timezone }).format(
    new Date(start),
  );
}

/** The buckets of a summary, a hundred at a time. */
export function SummaryTable({ summary }: { summary: Summary }) {
  const [shown, setShown] = useState(STEP);
  const rows = summary.buckets.slice(0, shown);
  return (
    <>
      <table className="numbers">
        <caption className="visually-hidden">kWh per {summary.interval}</caption>
        <thead>
          <tr>
            <th scope="col">{summary.interval[0].toUpperCase() + summary.interval.slice(1)}</th>
            <th scope="col">kWh</th>
            <th scope="col">Largest reading (kWh)</th>
            <th scope="col">Readings</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((bucket) => (
            <tr key={bucket.start}>
              <td>{bucketLabel(summary, bucket.start)}</td>
              <td>{formatNumber(bucket.kwh)}</td>
              <td>{formatNumber(bucket.max_kwh)}</td>
              <td>{bucket.readings}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {summary.buckets.length > shown && (
        <button type="button" className="secondary" onClick={() => setShown(shown + STEP)}>
          Show {Math.min(STEP, summary.buckets.length - shown)} more of{' '}
          {summary.buckets.length - shown} remaining
        </button>
      )}
    </>
  );
}
