import type { UploadReport } from '../client';
import { Link } from '../router';

const SHOWN_ERRORS = 10;

/** An upload's status, its row counts, its first errors with line numbers, and its alert. */
export function ReportSummary({ appId, report }: { appId: string; report: UploadReport }) {
  const shown = report.errors.slice(0, SHOWN_ERRORS);
  const hidden = report.rows_rejected - shown.length;
  return (
    <div className="report">
      <p>
        <span className={`badge ${report.status}`}>{report.status}</span> {report.rows_accepted} of{' '}
        {report.rows_total} rows accepted
        {report.rows_rejected > 0 && `, ${report.rows_rejected} rejected`}
      </p>
      {shown.length > 0 && (
        <ul className="row-errors" aria-label={`Problems in ${report.filename}`}>
          {shown.map((problem) => (
            <li key={`${problem.line}-${problem.error}`}>
              <strong>{problem.line ? `Line ${problem.line}` : 'File'}:</strong> {problem.error}
            </li>
          ))}
          {hidden > 0 && <li className="muted">…and {hidden} more.</li>}
        </ul>
      )}
      {report.alert_id && (
        <p>
          Readings above the threshold raised an <Link to={`/apps/${appId}/alerts`}>alert</Link>.
        </p>
      )}
    </div>
  );
}
