import { useRef, useState, type DragEvent, type FormEvent } from 'react';
import { previewFile, sendFile, type UploadOptions } from '../api/upload';
import type { Preview } from '../client';
import { Field } from '../components/Field';
import { PreviewCard } from '../components/PreviewCard';
import { Problem } from '../components/Problem';
import { SentFile, type Sending } from '../components/SentFile';
import { formatBytes } from '../format';
import { useApplication } from './Application';

const ZONES = Intl.supportedValuesOf('timeZone');
let sendings = 0;

export function Upload() {
  const appId = useApplication().id;
  const [files, setFiles] = useState<File[]>([]);
  const [dragging, setDragging] = useState(false);
  const [sent, setSent] = useState<Sending[]>([]);
  const [previews, setPreviews] = useState<Preview[]>([]);
  const [previewing, setPreviewing] = useState(false);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const update = (key: string, change: Partial<Sending>) =>
    setSent((all) => all.map((item) => (item.key === key ? { ...item, ...change } : item)));

  const optionsOf = (form: HTMLFormElement): UploadOptions => {
    const fields = new FormData(form);
    return {
      threshold_kwh: String(fields.get('threshold_kwh')),
      meter_id: String(fields.get('meter_id')),
      timezone: String(fields.get('timezone')),
    };
  };

  const send = (chosen: File[], options: UploadOptions) => {
    const batch = chosen.map((file) => ({ key: String(++sendings), file, options, progress: 0 }));
    setSent((all) => [...batch, ...all]);
    for (const { key, file } of batch) {
      sendFile(appId, file, options, (progress) => update(key, { progress })).then(
        (report) => update(key, { report }),
        (error: unknown) => update(key, { error }),
      );
    }
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    send(files, optionsOf(event.currentTarget));
    setFiles([]);
    setPreviews([]);
    event.currentTarget.reset();
  };

  const preview = () => {
    if (!formRef.current) return;
    const options = optionsOf(formRef.current);
    setPreviewing(true);
    setPreviewError(null);
    Promise.all(files.map((file) => previewFile(appId, file, options)))
      .then(setPreviews, setPreviewError)
      .finally(() => setPreviewing(false));
  };

  const choose = (chosen: File[]) => {
    setFiles(chosen);
    setPreviews([]);
  };

  const drop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    setDragging(false);
    choose(Array.from(event.dataTransfer.files));
  };

  return (
    <section aria-labelledby="upload-title">
      <h2 id="upload-title">Upload CSV files</h2>
      <form className="card stack" onSubmit={submit} ref={formRef}>
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
            onChange={(event) => choose(Array.from(event.target.files ?? []))}
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
          <button
            type="button"
            className="secondary"
            disabled={files.length === 0 || previewing}
            onClick={preview}
          >
            {previewing ? 'Reading…' : 'Preview'}
          </button>
          <button type="submit" disabled={files.length === 0}>
            Upload {files.length > 1 ? `${files.length} files` : files.length === 1 ? 'file' : ''}
          </button>
        </div>
        <Problem error={previewError} />
      </form>
      {previews.length > 0 && (
        <ul className="sent" aria-label="Previews">
          {previews.map((item) => (
            <PreviewCard key={item.filename} preview={item} />
          ))}
        </ul>
      )}
      {sent.length > 0 && (
        <ul className="sent" aria-label="Uploaded files">
          {sent.map((sending) => (
            <SentFile
              key={sending.key}
              appId={appId}
              sending={sending}
              resend={(file, options) => send([file], options)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
