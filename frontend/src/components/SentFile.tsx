import { useUploadReport } from '../api/hooks';
import type { UploadReport } from '../client';
import { formatBytes } from '../format';
import { Problem } from './Problem';
import { ReportSummary } from './ReportSummary';

export type Sending = {
  key: string;
  file: File;
  progress: number;
  report?: UploadReport;
  error?: unknown;
};

function LiveReport({ appId, report }: { appId: string; report: UploadReport }) {
  const live = useUploadReport(appId, report);
  return (
    <>
      <ReportSummary appId={appId} report={live.data} />
      <Problem error={live.error} />
    </>
  );
}

/** One file of an upload: a progress bar while it is sent, then its report as it is processed. */
export function SentFile({ appId, sending }: { appId: string; sending: Sending }) {
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
      {report && <LiveReport appId={appId} report={report} />}
    </li>
  );
}
