// How a key's scopes, limits and their use read on screen: in the keys list, the creation form
// and the audit log's sentences alike.
import type { KeyOut, LimitOut, Quota, RateLimit } from './client';
import { formatList, formatNumber } from './format';

export type Scope = KeyOut['scopes'][number];

/** Every scope, in the API's order: a short label and what it lets a machine client do. */
export const SCOPES: readonly { scope: Scope; label: string; allows: string }[] = [
  { scope: 'uploads:write', label: 'Send files', allows: 'send files' },
  { scope: 'usage:read', label: 'Read usage', allows: 'read usage, uploads and meters' },
  { scope: 'alerts:read', label: 'Read alerts', allows: 'read alerts' },
];

const UNITS = [
  ['week', 604_800],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
] as const;

/** The largest unit that counts the seconds whole: [how many, unit]. */
function inUnits(seconds: number): [number, string] {
  const [unit, length] = UNITS.find(([, length]) => seconds % length === 0) ?? UNITS[4];
  return [seconds / length, unit];
}

function plural(amount: number, word: string): string {
  return `${formatNumber(amount)} ${word}${amount === 1 ? '' : 's'}`;
}

/** 30 seconds, 5 minutes, 1 hour, 1 week. */
export function formatDuration(seconds: number): string {
  const [amount, unit] = inUnits(seconds);
  return plural(amount, unit);
}

/** Until a window ends, briefly: 23 s, 4 min, 2 h, 3 d. */
function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3_600) return `${Math.ceil(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.ceil(seconds / 3_600)} h`;
  return `${Math.ceil(seconds / 86_400)} d`;
}

/** A key as a sentence names it: “gateway” (sk_ab12cd34…). */
export function keyTitle({ name, prefix }: Pick<KeyOut, 'name' | 'prefix'>): string {
  return `“${name}” (${prefix}…)`;
}

/** "may send files and read alerts" */
export function scopesSentence(scopes: readonly Scope[]): string {
  const allowed = SCOPES.filter(({ scope }) => scopes.includes(scope)).map(({ allows }) => allows);
  return `may ${formatList(allowed)}`;
}

/** "100 requests a minute", "10 requests every 30 seconds" */
export function rateLimitText({ requests, per_seconds }: RateLimit): string {
  const [amount, unit] = inUnits(per_seconds);
  const per =
    amount === 1 ? `${unit === 'hour' ? 'an' : 'a'} ${unit}` : `every ${plural(amount, unit)}`;
  return `${plural(requests, 'request')} ${per}`;
}

/** "10,000 requests a month" */
export function quotaText({ requests, period }: Quota): string {
  return `${plural(requests, 'request')} a ${period}`;
}

/** A limit's use in its current window: "37 of 100 this minute; resets in 23 s" for a rate
 * limit, "812 of 10,000 this month" for a quota (its window is the calendar's). */
export function limitUseText(limit: LimitOut, quota: Quota | null): string {
  const used = `${formatNumber(limit.requests - limit.remaining)} of ${formatNumber(limit.requests)}`;
  if (limit.name === 'quota') return `${used} ${quota?.period === 'day' ? 'today' : 'this month'}`;
  const [amount, unit] = inUnits(limit.window_seconds);
  const window = amount === 1 ? `this ${unit}` : `in these ${plural(amount, unit)}`;
  return `${used} ${window}; resets in ${formatWait(limit.reset)}`;
}

/** The rotation graces the console offers, in seconds; the API's default is the hour. */
export const GRACES = [0, 300, 3_600, 86_400, 604_800] as const;
export const DEFAULT_GRACE = 3_600;

/** When a rotated key stops: "at once", "in 1 hour". */
export function graceText(seconds: number): string {
  return seconds === 0 ? 'at once' : `in ${formatDuration(seconds)}`;
}
