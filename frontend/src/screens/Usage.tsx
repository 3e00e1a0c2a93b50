import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useEffect } from 'react';
import { usePages } from '../api/pages';
import type { AppUsageSummaryData, MeterOut, UsageSummary } from '../client';
import {
  appMetersListInfiniteOptions,
  appUsageSummaryOptions,
} from '../client/@tanstack/react-query.gen';
import { Problem } from '../components/Problem';
import { SummaryTable } from '../components/SummaryTable';
import { UsageChart } from '../components/UsageChart';
import { formatKwh, formatSignedKwh } from '../format';
import { useApplication } from './Application';

type Interval = AppUsageSummaryData['query']['interval'];
const INTERVALS: Interval[] = ['hour', 'day', 'month'];
const DAY_MS = 86_400_000;
const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const ZONES = Intl.supportedValuesOf('timeZone');

// Meters of a channel are named `<meter>:export` and so on; a meter without a suffix measures
// consumption, which is what the summary of every meter totals.
const CHANNELS = { export: 'Export', generation: 'Generation', gas: 'Gas', load: 'Load' };
type Channel = keyof typeof CHANNELS;

function channelOf(meterId: string): Channel | null {
  const suffix = meterId.includes(':') ? meterId.slice(meterId.lastIndexOf(':') + 1) : '';
  return suffix in CHANNELS ? (suffix as Channel) : null;
}

/** The screen's choices as the URL keeps them; one left out takes its default. */
export type UsageSearch = {
  meter?: string;
  from?: string;
  to?: string;
  interval?: Interval;
  zone?: string;
};

// The URL's `meter=123` reads as a number; an empty choice is no choice (and leaves the URL).
const text = (value: unknown) =>
  typeof value === 'number' || (typeof value === 'string' && value) ? String(value) : undefined;

export function usageSearch(search: Record<string, unknown>): UsageSearch {
  return {
    meter: text(search.meter),
    from: text(search.from),
    to: text(search.to),
    interval: INTERVALS.find((interval) => interval === search.interval),
    zone: text(search.zone),
  };
}

type Range = Required<UsageSearch>;

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The day after `date`, where the summary's range ends; what is not a date goes as it is. */
function dayAfter(date: string): string {
  const ms = Date.parse(date);
  return Number.isNaN(ms) ? date : isoDate(ms + DAY_MS);
}

/** The chosen range, else the week up to the newest reading, by day, in the browser's zone. */
function rangeOf(search: UsageSearch, meters: MeterOut[]): Range {
  const newest = Math.max(...meters.map((meter) => Date.parse(meter.last_timestamp)));
  return {
    meter: search.meter ?? '',
    from: search.from ?? isoDate(newest - 6 * DAY_MS),
    to: search.to ?? isoDate(newest),
    interval: search.interval ?? 'day',
    zone: search.zone ?? BROWSER_ZONE,
  };
}

function netInWords(net: number): string {
  const words = 'Consumption minus export';
  if (net > 0) return `${words}: ${formatKwh(net)} more came from the grid than went to it.`;
  if (net < 0) return `${words}: ${formatKwh(-net)} more went to the grid than came from it.`;
  return `${words}: as much went to the grid as came from it.`;
}

/** Consumption, each channel's total beside it (never added to it), and the net from the grid. */
function Figures({ summary, channels }: { summary: UsageSummary; channels: Channel[] }) {
  if (summary.meter_id) {
    const channel = channelOf(summary.meter_id);
    return (
      <dl className="figures">
        <div>
          <dt>{channel ? CHANNELS[channel] : 'Consumption'}</dt>
          <dd>{formatKwh(summary.total_kwh)}</dd>
        </div>
      </dl>
    );
  }
  const totalOf = (channel: Channel) => summary.channels[channel] ?? 0;
  const net = channels.includes('export')
    ? Math.round((summary.total_kwh - totalOf('export')) * 1000) / 1000
    : null;
  return (
    <>
      <dl className="figures">
        <div>
          <dt>Consumption</dt>
          <dd>{formatKwh(summary.total_kwh)}</dd>
        </div>
        {channels.map((channel) => (
          <div key={channel}>
            <dt>{CHANNELS[channel]}</dt>
            <dd>{formatKwh(totalOf(channel))}</dd>
          </div>
        ))}
        {net != null && (
          <div>
            <dt>Net from the grid</dt>
            <dd>{formatSignedKwh(net)}</dd>
          </div>
        )}
      </dl>
      {net != null && <p className="hint">{netInWords(net)}</p>}
    </>
  );
}

function SummaryView({ range, channels }: { range: Range; channels: Channel[] }) {
  const app = useApplication();
  const summary = useQuery({
    ...appUsageSummaryOptions({
      path: { app_id: app.id },
      query: {
        interval: range.interval,
        start: range.from,
        end: dayAfter(range.to),
        timezone: range.zone,
        meter_id: range.meter || undefined,
      },
    }),
    placeholderData: keepPreviousData,
  });
  const data = summary.data;
  const channel = data?.meter_id ? channelOf(data.meter_id) : null;
  const what = channel ? CHANNELS[channel] : 'Consumption';
  // Channels the application has, and any the range has that it no longer lists.
  const shown = data
    ? channels.concat(
        (Object.keys(data.channels) as Channel[]).filter((c) => !channels.includes(c)),
      )
    : [];
  return (
    <>
      <Problem error={summary.error} />
      {data && (
        <div className={summary.isPlaceholderData ? 'stale' : undefined}>
          <p className="total">
            For {data.meter_id ?? 'all meters'}
            {app.threshold_kwh != null && (
              <> · threshold {formatKwh(app.threshold_kwh)} a reading</>
            )}
          </p>
          <Figures summary={data} channels={shown} />
          <UsageChart summary={data} what={what} threshold={app.threshold_kwh} />
          <SummaryTable key={JSON.stringify(range)} summary={data} what={what} />
        </div>
      )}
    </>
  );
}

/** Each meter; when some are channels, grouped: consumption first, then each channel. */
function MeterOptions({ meters, channels }: { meters: MeterOut[]; channels: Channel[] }) {
  const options = (list: MeterOut[]) =>
    list.map((meter) => (
      <option key={meter.meter_id} value={meter.meter_id}>
        {meter.meter_id}
      </option>
    ));
  if (channels.length === 0) return options(meters);
  const ofChannel = (channel: Channel | null) =>
    meters.filter((meter) => channelOf(meter.meter_id) === channel);
  return (
    <>
      <optgroup label="Consumption">{options(ofChannel(null))}</optgroup>
      {channels.map((channel) => (
        <optgroup key={channel} label={CHANNELS[channel]}>
          {options(ofChannel(channel))}
        </optgroup>
      ))}
    </>
  );
}

const usage = getRouteApi('/signed-in/apps/$appId/usage');

type RangeFormProps = { meters: MeterOut[]; channels: Channel[]; range: Range };

function RangeForm({ meters, channels, range }: RangeFormProps) {
  const navigate = usage.useNavigate();
  // Each choice goes into the URL, so that a bookmark or a reload shows the same summary.
  const set = (change: Partial<Range>) =>
    void navigate({ search: (chosen) => ({ ...chosen, ...change }), replace: true });
  const consumption = meters.filter((meter) => !channelOf(meter.meter_id));
  const zones = ZONES.includes(range.zone) ? ZONES : [range.zone, ...ZONES];
  return (
    <form className="card range" onSubmit={(event) => event.preventDefault()}>
      <div className="field">
        <label htmlFor="usage-meter">Meter</label>
        <select
          id="usage-meter"
          value={range.meter}
          onChange={(e) => set({ meter: e.target.value })}
        >
          <option value="">All meters ({consumption.length})</option>
          <MeterOptions meters={meters} channels={channels} />
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
        <select id="usage-zone" value={range.zone} onChange={(e) => set({ zone: e.target.value })}>
          {zones.map((zone) => (
            <option key={zone}>{zone}</option>
          ))}
        </select>
      </div>
    </form>
  );
}

/** Every meter of the application: the choice lists them all, a thousand a page. */
function useEveryMeter(appId: string) {
  const { query, items } = usePages(
    appMetersListInfiniteOptions({ path: { app_id: appId }, query: { limit: 1000 } }),
  );
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  return { error: query.error, meters: query.isSuccess && !hasNextPage ? items : null };
}

export function Usage() {
  const app = useApplication();
  const search = usage.useSearch();
  const { error, meters } = useEveryMeter(app.id);
  const range = meters?.length ? rangeOf(search, meters) : null;
  const channels = (Object.keys(CHANNELS) as Channel[]).filter((channel) =>
    meters?.some((meter) => channelOf(meter.meter_id) === channel),
  );
  return (
    <section aria-labelledby="usage-title">
      <h2 id="usage-title">Usage</h2>
      <Problem error={error} />
      {meters?.length === 0 && (
        <p className="muted">
          No readings yet.{' '}
          <Link to="/apps/$appId/upload" params={{ appId: app.id }}>
            Upload CSV files
          </Link>{' '}
          first.
        </p>
      )}
      {meters && range && (
        <>
          <RangeForm meters={meters} channels={channels} range={range} />
          <SummaryView range={range} channels={channels} />
        </>
      )}
    </section>
  );
}
