import { useState, type DragEvent, type FormEvent } from 'react';
import { sendFile, type UploadOptions } from '../api/upload';
import { Field } from '../components/Field';
import { SentFile, type Sending } from '../components/SentFile';
import { formatBytes } from '../format';

const ZONES = Intl.supportedValuesOf('timeZone');
let sendings = 0;

export function Upload({ appId }: { appId: string }) {
  const [files, setFiles] = useState<File[]>([]);
  const [dragging, setDragging] = useState(false);
  const [sent, setSent] = useState<Sending[]>([]);

  const update = (key: string, change: Partial<Sending>) =>
    setSent((all) => all.map((item) => (item.key === key ? { ...item, ...change } : item)));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const options: UploadOptions = {
      threshold_kwh: String(form.get('threshold_kwh')),
      meter_id: String(form.get('meter_id')),
      timezone: String(form.get('timezone')),
    };
    const batch = files.map((file) => ({ key: String(++sendings), file, progress: 0 }));
    setSent((all) => [...batch, ...all]);
    for (const { key, file } of batch) {
      sendFile(appId, file, options, (progress) => update(key, { progress })).then(
        (report) => update(key, { report }),
        (error: unknown) => update(key, { error }),
      );
    }
    setFiles([]);
    event.currentTarget.reset();
  };

  const drop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    setDragging(false);
    setFiles(Array.from(event.dataTransfer.files));
  };

  return (
    <section aria-labelledby="upload-title">
      <h2 id="upload-title">Upload CSV files</h2>
      <form className="card stack" onSubmit={submit}>
        <div
          className={`drop-zone${dragging ? ' dragging' : ''}`}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={drop}
        >
          <label htmlFor="upload-files">CSV files</label>
          <input
            id="upload-files"
            type="file"
            name="files"
            accept=".csv,text/csv,text/plain"
            multiple
            onChange={(event) => setFiles(Array.from(event.target.files ?? []))}
          />
          <small className="hint">Choose or drop one or more files.</small>
          {files.length > 0 && (
            <ul className="chosen">
              {files.map((file) => (
                <li key={file.name + file.size}>
                  {file.name} <span className="muted">{formatBytes(file.size)}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <details>
          <summary>Options</summary>
          <div className="grid">
            <Field
              label="Threshold (kWh)"
              name="threshold_kwh"
              type="number"
              step="any"
              hint="Instead of the application's threshold, for these files."
            />
            <Field label="Meter id" name="meter_id" hint="For files without a meter column." />
            <Field
              label="Time zone"
              name="timezone"
              list="time-zones"
              placeholder="UTC"
              hint="Of timestamps without an offset, for example Europe/Berlin."
            />
            <datalist id="time-zones">
              {ZONES.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </div>
        </details>
        <div className="actions">
          <button type="submit" disabled={files.length === 0}>
            Upload {files.length > 1 ? `${files.length} files` : files.length === 1 ? 'file' : ''}
          </button>
        </div>
      </form>
      {sent.length > 0 && (
        <ul className="sent" aria-label="Uploaded files">
          {sent.map((sending) => (
            <SentFile key={sending.key} appId={appId} sending={sending} />
          ))}
        </ul>
      )}
    </section>
  );
}
