import { useState } from 'react';
import type { UsageSummary } from '../client';
import { formatNumber } from '../format';
import { ShowMore } from './ShowMore';

const STEP = 100;

function bucketLabel(summary: UsageSummary, start: string): string {
  const style: Intl.DateTimeFormatOptions =
    summary.interval === 'hour'
      ? { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }
      : summary.interval === 'day'
        ? { dateStyle: 'medium' }
        : { year: 'numeric', month: 'long' };
  return new Intl.DateTimeFormat(undefined, { ...style, timeZone: summary.timezone }).format(
    new Date(start),
  );
}

/** The buckets of a summary, a hundred at a time; its caption says `what` they total. */
export function SummaryTable({ summary, what }: { summary: UsageSummary; what: string }) {
  const [shown, setShown] = useState(STEP);
  const rows = summary.buckets.slice(0, shown);
  const left = summary.buckets.length - rows.length;
  return (
    <>
      <table className="numbers">
        <caption className="visually-hidden">
          {what} in kWh per {summary.interval}
        </caption>
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
      <ShowMore
        more={left > 0 ? { onMore: () => setShown(shown + STEP) } : null}
        label={left > STEP ? `Show ${STEP} more (${left} left)` : `Show the last ${left}`}
      />
    </>
  );
}
