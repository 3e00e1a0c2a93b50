import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { saveErrorsFile } from '../api/errorsFile';
import type { UploadReport } from '../client';
import { Problem } from './Problem';
import { ReadAs } from './ReadAs';

const SHOWN_ERRORS = 10;

/** An upload's status, its row counts, its first errors with line numbers, and its alert. */
export function ReportSummary({ appId, report }: { appId: string; report: UploadReport }) {
  const shown = report.errors.slice(0, SHOWN_ERRORS);
  const hidden = report.rows_rejected - shown.length;
  const [saveError, setSaveError] = useState<unknown>(null);
  const save = () => {
    setSaveError(null);
    saveErrorsFile(appId, report.upload_id).catch(setSaveError);
  };
  return (
    <div className="report">
      <p>
        <span className={`badge ${report.status}`}>{report.status}</span> {report.rows_accepted} of{' '}
        {report.rows_total} rows accepted
        {report.rows_rejected > 0 && `, ${report.rows_rejected} rejected`}
      </p>
      <ReadAs layout={report.layout} />
      {report.duplicate_of && (
        <p className="muted">
          The same file with the same options was read recently, so it was not read again: these are
          that upload's results, and it raised no alert of its own.
        </p>
      )}
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
      {hidden > 0 && (
        <p>
          <button type="button" className="secondary" onClick={save}>
            Download every problem (CSV)
          </button>
        </p>
      )}
      <Problem error={saveError} />
      {report.alert_id && (
        <p>
          Readings above the threshold raised an{' '}
          <Link to="/apps/$appId/alerts" params={{ appId }}>
            alert
          </Link>
          .
        </p>
      )}
    </div>
  );
}
