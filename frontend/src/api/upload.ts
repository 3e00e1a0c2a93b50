// Sending one CSV file with upload progress: fetch has no upload progress event, XMLHttpRequest does.
import type { UploadReport, UploadReports } from '../client';
import { ApiError, sentenceOf } from './errors';
import { getToken, setToken } from './session';

export type UploadOptions = { threshold_kwh: string; meter_id: string; timezone: string };

export function sendFile(
  appId: string,
  file: File,
  options: UploadOptions,
  onProgress: (fraction: number) => void,
): Promise<UploadReport> {
  const form = new FormData();
  form.append('files', file);
  for (const [name, value] of Object.entries(options)) {
    if (value.trim()) form.append(name, value.trim());
  }
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/app/${encodeURIComponent(appId)}/uploads`);
    request.setRequestHeader('Authorization', `Bearer ${getToken() ?? ''}`);
    request.responseType = 'json';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status === 201 || request.status === 202) {
        onProgress(1);
        resolve((request.response as UploadReports).uploads[0]);
        return;
      }
      if (request.status === 401) setToken(null);
      reject(new ApiError(request.status, sentenceOf(request.status, request.response)));
    };
    request.onerror = () => reject(new ApiError(0, sentenceOf(0, null)));
    request.send(form);
  });
}
