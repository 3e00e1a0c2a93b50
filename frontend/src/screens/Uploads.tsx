import { useUploads } from '../api/hooks';
import { Problem } from '../components/Problem';
import { ReportSummary } from '../components/ReportSummary';
import { formatBytes, formatTime } from '../format';
import { Link } from '../router';

export function Uploads({ appId }: { appId: string }) {
  const uploads = useUploads(appId);
  const reports = uploads.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="uploads-title">
      <h2 id="uploads-title">Uploads, newest first</h2>
      <Problem error={uploads.error} />
      {uploads.isSuccess && reports.length === 0 && (
        <p className="muted">
          Nothing uploaded yet. <Link to={`/apps/${appId}/upload`}>Upload CSV files</Link>.
        </p>
      )}
      <ul className="report-list">
        {reports.map((report) => (
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
      {uploads.hasNextPage && (
        <button
          type="button"
          className="secondary"
          disabled={uploads.isFetchingNextPage}
          onClick={() => uploads.fetchNextPage()}
        >
          Show older uploads
        </button>
      )}
    </section>
  );
}
