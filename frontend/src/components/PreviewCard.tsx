import type { Preview } from '../client';
import { formatKwh, formatTime } from '../format';
import { ReadAs } from './ReadAs';

const SHOWN = 5;

/** A dry run of one file: how it would be read, its meters, its first readings and problems. */
export function PreviewCard({ preview }: { preview: Preview }) {
  return (
    <li className="card preview">
      <p className="file-name">
        <strong>{preview.filename}</strong>{' '}
        <span className={`badge ${preview.status}`}>preview</span>
      </p>
      <p>
        {preview.status === 'failed'
          ? 'This file would not be read.'
          : `${preview.rows_accepted} of ${preview.rows_total} rows would be read` +
            (preview.rows_rejected ? `, ${preview.rows_rejected} rejected.` : '.')}
      </p>
      <ReadAs layout={preview.layout} />
      {preview.meters.length > 0 && (
        <p>
          Meters:{' '}
          {preview.meters
            .slice(0, SHOWN)
            .map((m) => `${m.meter_id} (${m.readings} readings)`)
            .join(', ')}
          {preview.meters.length > SHOWN && ` and ${preview.meters.length - SHOWN} more`}
        </p>
      )}
      {preview.sample.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption>First readings</caption>
            <thead>
              <tr>
                <th scope="col">Meter</th>
                <th scope="col">Time</th>
                <th scope="col">Energy</th>
              </tr>
            </thead>
            <tbody>
              {preview.sample.slice(0, SHOWN).map((reading) => (
                <tr key={`${reading.meter_id} ${reading.timestamp}`}>
                  <td>{reading.meter_id}</td>
                  <td>{formatTime(reading.timestamp)}</td>
                  <td>{formatKwh(reading.kwh)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {preview.errors.length > 0 && (
        <ul className="row-errors" aria-label={`Problems in ${preview.filename}`}>
          {preview.errors.slice(0, SHOWN).map((problem) => (
            <li key={`${problem.line}-${problem.error}`}>
              <strong>{problem.line ? `Line ${problem.line}` : 'File'}:</strong> {problem.error}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
