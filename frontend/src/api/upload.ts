// Sending CSV files: with upload progress (fetch has no upload progress event, XMLHttpRequest
// does), or as a dry run that says how each file would be read and keeps nothing.
import type { Preview, Previews, UploadReport, UploadReports } from '../client';
import { ApiError, sentenceOf } from './errors';
import { getToken, setToken } from './session';

export type UploadOptions = {
  threshold_kwh: string;
  meter_id: string;
  timezone: string;
  columns?: string; // a column mapping, as JSON
};

function formOf(file: File, options: UploadOptions, dryRun = false): FormData {
  const form = new FormData();
  form.append('files', file);
  for (const [name, value] of Object.entries(options)) {
    if (value?.trim()) form.append(name, value.trim());
  }
  if (dryRun) form.append('dry_run', 'true');
  return form;
}

function post<T>(
  appId: string,
  form: FormData,
  accepted: number[],
  onProgress?: (fraction: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/app/${encodeURIComponent(appId)}/uploads`);
    request.setRequestHeader('Authorization', `Bearer ${getToken() ?? ''}`);
    request.responseType = 'json';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total);
    };
    request.onload = () => {
      if (accepted.includes(request.status)) {
        onProgress?.(1);
        resolve(request.response as T);
        return;
      }
      if (request.status === 401) setToken(null);
      reject(new ApiError(request.status, sentenceOf(request.status, request.response)));
    };
    request.onerror = () => reject(new ApiError(0, sentenceOf(0, null)));
    request.send(form);
  });
}

export async function sendFile(
  appId: string,
  file: File,
  options: UploadOptions,
  onProgress: (fraction: number) => void,
): Promise<UploadReport> {
  const answer = await post<UploadReports>(appId, formOf(file, options), [201, 202], onProgress);
  return answer.uploads[0];
}

/** How the server would read the file: nothing is stored. */
export async function previewFile(
  appId: string,
  file: File,
  options: UploadOptions,
): Promise<Preview> {
  const answer = await post<Previews>(appId, formOf(file, options, true), [200]);
  return answer.previews[0];
}
