// How a file was read, in the words a person reads: "Windows-1252, semicolon-separated, ...".
import type { LayoutColumn, UploadLayout } from './client';

const ENCODINGS: Record<string, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  shift_jis: 'Shift_JIS',
  'euc-kr': 'EUC-KR',
  gb18030: 'GB18030',
  big5: 'Big5',
};
const DELIMITERS: Record<string, string> = {
  '\t': 'tab-separated',
  ' ': 'space-separated',
  ',': 'comma-separated',
  ';': 'semicolon-separated',
  '|': 'pipe-separated',
};
const ORDERS = { dmy: 'day first', mdy: 'month first', ymd: 'year first' } as const;
const FAMILIES = {
  long: '',
  wide: 'a row per day',
  nem12: 'NEM12',
  nem13: 'NEM13',
  mapped: 'your column mapping',
};
const ROLES: Record<LayoutColumn['role'], string> = {
  time: 'time',
  date: 'date',
  clock: 'time of day',
  end: 'interval end',
  meter: 'meter',
  value: 'value',
  unit: 'unit',
  factor: 'factor',
  attribute: 'not a reading',
  ignored: 'not read',
};
const CHANNELS: Record<string, string> = {
  export: 'export',
  generation: 'generation',
  gas: 'gas',
  load: 'load',
};

function encodingName(name: string): string {
  return ENCODINGS[name] ?? name.replace(/^windows-/, 'Windows-');
}

function interval(layout: UploadLayout): string | null {
  const minutes = layout.interval_minutes;
  const stamps = layout.timestamps === 'end' ? 'ends' : 'starts';
  if (!minutes) return layout.timestamps === 'end' ? 'interval ends' : null;
  if (minutes === 1440) return `daily, ${stamps}`;
  if (minutes === 60) return `hourly interval ${stamps}`;
  return `${minutes}-minute interval ${stamps}`;
}

function zone(layout: UploadLayout): string | null {
  if (!layout.timezone) return null;
  if (layout.timezone_source === 'file') return `${layout.timezone} (the file says)`;
  if (layout.timezone_source === 'default') return `${layout.timezone} (no zone given)`;
  return layout.timezone;
}

/** The layout's summary line, without its columns. */
export function readAs(layout: UploadLayout): string {
  const parts = [
    layout.family ? FAMILIES[layout.family] : '',
    encodingName(layout.encoding),
    layout.delimiter ? (DELIMITERS[layout.delimiter] ?? `\`${layout.delimiter}\``) : '',
    layout.decimal ? (layout.decimal === ',' ? 'decimal comma' : 'decimal point') : '',
    layout.date_order ? ORDERS[layout.date_order] : '',
    zone(layout) ?? '',
    interval(layout) ?? '',
  ];
  return parts.filter(Boolean).join(', ');
}

/** One column in words: "Verbrauch [kWh]: value in kWh, energy". */
export function columnInWords(column: LayoutColumn): string {
  const name = column.name || `column ${column.index + 1}`;
  if (column.role !== 'value') return `${name}: ${ROLES[column.role]}`;
  const what = [
    column.unit ? `in ${column.unit}` : '',
    column.kind ?? '',
    CHANNELS[column.channel ?? ''] ?? '',
  ]
    .filter(Boolean)
    .join(', ');
  return `${name}: value${what ? ` ${what}` : ''}`;
}
