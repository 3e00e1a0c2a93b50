import { useState } from 'react';
import { useMeters, useUsageSummary, type Interval } from '../api/hooks';
import type { ApplicationOut, MeterOut } from '../client';
import { Problem } from '../components/Problem';
import { SummaryTable } from '../components/SummaryTable';
import { UsageChart } from '../components/UsageChart';
import { formatKwh } from '../format';
import { Link } from '../router';

const DAY_MS = 86_400_000;
const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

type Range = { meterId: string; from: string; to: string; interval: Interval; timezone: string };

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The week up to the newest reading of the application's meters. */
function lastWeek(meters: MeterOut[]): Range {
  const newest = Math.max(...meters.map((meter) => Date.parse(meter.last_timestamp)));
  return {
    meterId: '',
    from: isoDate(newest - 6 * DAY_MS),
    to: isoDate(newest),
    interval: 'day',
    timezone: BROWSER_ZONE,
  };
}

function SummaryView({ app, range }: { app: ApplicationOut; range: Range }) {
  const summary = useUsageSummary(app.id, {
    interval: range.interval,
    start: range.from,
    end: range.to ? isoDate(Date.parse(range.to) + DAY_MS) : '',
    timezone: range.timezone || 'UTC',
    ...(range.meterId ? { meter_id: range.meterId } : {}),
  });
  return (
    <>
      <Problem error={summary.error} />
      {summary.data && (
        <div className={summary.isPlaceholderData ? 'stale' : undefined}>
          <p className="total">
            Total <strong>{formatKwh(summary.data.total_kwh)}</strong> for{' '}
            {summary.data.meter_id ?? 'all meters'}
            {app.threshold_kwh != null && (
              <> · threshold {formatKwh(app.threshold_kwh)} a reading</>
            )}
          </p>
          <UsageChart summary={summary.data} threshold={app.threshold_kwh} />
          <SummaryTable key={JSON.stringify(range)} summary={summary.data} />
        </div>
      )}
    </>
  );
}

function RangeForm({
  meters,
  range,
  onChange,
}: {
  meters: MeterOut[];
  range: Range;
  onChange: (range: Range) => void;
}) {
  const set = (change: Partial<Range>) => onChange({ ...range, ...change });
  return (
    <form className="card range" onSubmit={(event) => event.preventDefault()}>
      <div className="field">
        <label htmlFor="usage-meter">Meter</label>
        <select
          id="usage-meter"
          value={range.meterId}
          onChange={(e) => set({ meterId: e.target.value })}
        >
          <option value="">All meters ({meters.length})</option>
          {meters.map((meter) => (
            <option key={meter.meter_id} value={meter.meter_id}>
              {meter.meter_id}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="usage-from">From</label>
        <input
          id="usage-from"
          type="date"
          value={range.from}
          onChange={(e) => set({ from: e.target.value })}
          required
        />
      </div>
      <div className="field">
        <label htmlFor="usage-to">To (inclusive)</label>
        <input
          id="usage-to"
          type="date"
          value={range.to}
          onChange={(e) => set({ to: e.target.value })}
          required
        />
      </div>
      <div className="field">
        <label htmlFor="usage-interval">Interval</label>
        <select
          id="usage-interval"
          value={range.interval}
          onChange={(e) => set({ interval: e.target.value as Interval })}
        >
          <option value="hour">Hour</option>
          <option value="day">Day</option>
          <option value="month">Month</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="usage-zone">Time zone</label>
        <input
          id="usage-zone"
          value={range.timezone}
          list="usage-zones"
          onChange={(e) => set({ timezone: e.target.value })}
        />
        <datalist id="usage-zones">
          {Intl.supportedValuesOf('timeZone').map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </div>
    </form>
  );
}

export function Usage({ app }: { app: ApplicationOut }) {
  const meters = useMeters(app.id);
  const [range, setRange] = useState<Range | null>(null);
  const shown = range ?? (meters.data?.length ? lastWeek(meters.data) : null);
  return (
    <section aria-labelledby="usage-title">
      <h2 id="usage-title">Usage</h2>
      <Problem error={meters.error} />
      {meters.data?.length === 0 && (
        <p className="muted">
          No readings yet. <Link to={`/apps/${app.id}/upload`}>Upload CSV files</Link> first.
        </p>
      )}
      {meters.data && shown && (
        <>
          <RangeForm meters={meters.data} range={shown} onChange={setRange} />
          <SummaryView app={app} range={shown} />
        </>
      )}
    </section>
  );
}
