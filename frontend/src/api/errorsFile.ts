// Every problem of an upload as CSV, saved as a file: the route needs the bearer token, so a
// plain link cannot fetch it.
import { appUploadsErrors } from '../client';

export async function saveErrorsFile(appId: string, uploadId: string): Promise<void> {
  const { data } = await appUploadsErrors({
    path: { app_id: appId, upload_id: uploadId },
    parseAs: 'blob',
  });
  // The document types the body as text; parseAs 'blob' hands it over as a Blob.
  const url = URL.createObjectURL(data as unknown as Blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `${uploadId}-errors.csv`;
  link.click();
  URL.revokeObjectURL(url);
}
