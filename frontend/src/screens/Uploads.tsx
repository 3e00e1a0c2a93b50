import { Link } from '@tanstack/react-router';
import { usePages } from '../api/pages';
import { appUploadsListInfiniteOptions } from '../client/@tanstack/react-query.gen';
import { Problem } from '../components/Problem';
import { ReportSummary } from '../components/ReportSummary';
import { ShowMore } from '../components/ShowMore';
import { formatBytes, formatTime } from '../format';
import { useApplication } from './Application';

export function Uploads() {
  const appId = useApplication().id;
  const { query, items, more } = usePages(
    appUploadsListInfiniteOptions({ path: { app_id: appId }, query: { limit: 50 } }),
  );
  return (
    <section aria-labelledby="uploads-title">
      <h2 id="uploads-title">Uploads, newest first</h2>
      <Problem error={query.error} />
      {query.isSuccess && items.length === 0 && (
        <p className="muted">
          Nothing uploaded yet.{' '}
          <Link to="/apps/$appId/upload" params={{ appId }}>
            Upload CSV files
          </Link>
          .
        </p>
      )}
      <ul className="report-list">
        {items.map((report) => (
          <li key={report.upload_id} className="card">
            <p className="file-name">
              <strong>{report.filename}</strong>{' '}
              <span className="muted">
                {formatBytes(report.size_bytes)} · {formatTime(report.created_at)}
              </span>
            </p>
            <ReportSummary appId={appId} report={report} />
          </li>
        ))}
      </ul>
      <ShowMore more={more} label="Show older uploads" />
    </section>
  );
}
