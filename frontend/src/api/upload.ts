// Sending CSV files through the generated client (its token, base URL and errors): with upload
// progress, or as a dry run that says how each file would be read and keeps nothing.
import {
  appUploadsCreate,
  type AppUploadsCreateData,
  type Preview,
  type Previews,
  type UploadReport,
  type UploadReports,
} from '../client';

/** The upload form's fields as typed; empty ones are not sent. */
export type UploadOptions = {
  threshold_kwh: string;
  meter_id: string;
  timezone: string;
  columns?: string; // a column mapping, as JSON
};

type Body = AppUploadsCreateData['body'];

function bodyOf(file: File, options: UploadOptions): Body {
  const text = (value: string | undefined) => value?.trim() || undefined;
  const threshold = text(options.threshold_kwh);
  return {
    files: [file],
    threshold_kwh: threshold === undefined ? undefined : Number(threshold),
    meter_id: text(options.meter_id),
    timezone: text(options.timezone),
    columns: text(options.columns),
  };
}

function headersOf(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** fetch by XMLHttpRequest, the one that reports how much of a body went out. */
function fetchWithProgress(onProgress: (fraction: number) => void): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const body = await request.blob();
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(request.method, request.url);
      request.headers.forEach((value, name) => xhr.setRequestHeader(name, value));
      xhr.responseType = 'blob';
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      };
      xhr.onload = () => {
        onProgress(1);
        const answer = xhr.status === 204 ? null : (xhr.response as Blob);
        const { status, statusText } = xhr;
        resolve(
          new Response(answer, {
            status,
            statusText,
            headers: headersOf(xhr.getAllResponseHeaders()),
          }),
        );
      };
      // As fetch fails: a TypeError without an answer, an AbortError when given up on.
      xhr.onerror = () => reject(new TypeError('Failed to fetch'));
      xhr.onabort = () => reject(new DOMException('The upload was aborted.', 'AbortError'));
      request.signal.addEventListener('abort', () => xhr.abort());
      xhr.send(body);
    });
  };
}

export async function sendFile(
  appId: string,
  file: File,
  options: UploadOptions,
  onProgress: (fraction: number) => void,
): Promise<UploadReport> {
  const { data } = await appUploadsCreate({
    path: { app_id: appId },
    body: bodyOf(file, options),
    fetch: fetchWithProgress(onProgress),
  });
  // The answer's type is every success's: without dry_run, UploadReports (201, or 202 while
  // processing continues), never the dry run's Previews.
  return (data as UploadReports).uploads[0];
}

/** How the server would read the file: nothing is stored. */
export async function previewFile(
  appId: string,
  file: File,
  options: UploadOptions,
): Promise<Preview> {
  const { data } = await appUploadsCreate({
    path: { app_id: appId },
    body: { ...bodyOf(file, options), dry_run: true },
  });
  return (data as Previews).previews[0];
}
