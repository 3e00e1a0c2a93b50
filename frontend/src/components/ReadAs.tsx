import type { UploadLayout } from '../client';
import { columnInWords, readAs } from '../readAs';

/** How the reader read a file: encoding, notation, zone, interval, each column, its notices. */
export function ReadAs({ layout }: { layout: UploadLayout | null | undefined }) {
  if (!layout) return null;
  const columns = (layout.columns ?? []).filter(
    (column) => column.name || column.role !== 'ignored',
  );
  const notices = layout.notices ?? [];
  return (
    <div className="read-as">
      <p>
        <strong>Read as:</strong> {readAs(layout)}
        {layout.header_line ? ` (header on line ${layout.header_line})` : ''}
      </p>
      {columns.length > 0 && (
        <details>
          <summary>Columns</summary>
          <ul className="columns-read">
            {columns.map((column) => (
              <li key={column.index}>{columnInWords(column)}</li>
            ))}
          </ul>
        </details>
      )}
      {notices.length > 0 && (
        <ul className="notices" aria-label="How the file was judged">
          {notices.map((notice) => (
            <li key={notice}>{notice}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
