// How numbers, sizes and times read on screen.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const kwh = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });
// The console's sentences are English, so are their lists: "a, b, and c".
const words = new Intl.ListFormat('en', { type: 'conjunction' });
const signedKwh = new Intl.NumberFormat(undefined, {
  maximumFractionDigits: 3,
  signDisplay: 'exceptZero',
});

export function formatTime(iso: string | null | undefined, empty = '—'): string {
  return iso ? dateTime.format(new Date(iso)) : empty;
}

export function formatList(items: readonly string[]): string {
  return words.format(items);
}

export function formatNumber(value: number | null | undefined): string {
  return value == null ? '—' : kwh.format(value);
}

export function formatKwh(value: number | null | undefined): string {
  return value == null ? '—' : `${kwh.format(value)} kWh`;
}

/** With its sign: +1.5 kWh, −0.2 kWh, 0 kWh. */
export function formatSignedKwh(value: number): string {
  return `${signedKwh.format(value)} kWh`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
