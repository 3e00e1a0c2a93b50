import { useQuery } from '@tanstack/react-query';
import type { UploadOptions } from '../api/upload';
import type { UploadReport } from '../client';
import { appUploadsGetOptions } from '../client/@tanstack/react-query.gen';
import { formatBytes } from '../format';
import { ColumnMapping } from './ColumnMapping';
import { Problem } from './Problem';
import { ReportSummary } from './ReportSummary';

export type Sending = {
  key: string;
  file: File;
  options: UploadOptions;
  progress: number;
  report?: UploadReport;
  error?: unknown;
};

type Resend = (file: File, options: UploadOptions) => void;

const isFinished = (report: UploadReport) =>
  report.status === 'completed' || report.status === 'failed';

/** One upload's report, asked again every second until it is completed or failed. */
function useLiveReport(appId: string, first: UploadReport) {
  return useQuery({
    ...appUploadsGetOptions({ path: { app_id: appId, upload_id: first.upload_id } }),
    initialData: first,
    refetchInterval: (query) => (query.state.data && isFinished(query.state.data) ? false : 1000),
  });
}

function LiveReport({
  appId,
  sending,
  resend,
}: {
  appId: string;
  sending: Sending;
  resend: Resend;
}) {
  const live = useLiveReport(appId, sending.report as UploadReport);
  const columns = live.data.status === 'failed' ? (live.data.layout?.columns ?? []) : [];
  return (
    <>
      <ReportSummary appId={appId} report={live.data} />
      <Problem error={live.error} />
      {columns.length > 0 && (
        <ColumnMapping
          columns={columns}
          onSend={(mapping) => resend(sending.file, { ...sending.options, columns: mapping })}
        />
      )}
    </>
  );
}

/** One file of an upload: a progress bar while it is sent, then its report as it is processed;
 * a file that failed can be sent again with its columns named. */
export function SentFile({
  appId,
  sending,
  resend,
}: {
  appId: string;
  sending: Sending;
  resend: Resend;
}) {
  const { file, progress, report, error } = sending;
  const percent = Math.round(progress * 100);
  return (
    <li className="card sent-file">
      <p className="file-name">
        <strong>{file.name}</strong> <span className="muted">{formatBytes(file.size)}</span>
      </p>
      {!report && !error && (
        <div className="progress">
          <progress max={100} value={percent} aria-label={`Sending ${file.name}`} />
          <span>{percent}%</span>
        </div>
      )}
      <Problem error={error} />
      {report && <LiveReport appId={appId} sending={sending} resend={resend} />}
    </li>
  );
}
