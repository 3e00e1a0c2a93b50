import { useId, useState, type FormEvent } from 'react';
import type { LayoutColumn } from '../client';

const UNITS = ['kWh', 'Wh', 'MWh', 'kW', 'W', 'therms'];

function Choice({
  label,
  name,
  columns,
  required = false,
}: {
  label: string;
  name: string;
  columns: LayoutColumn[];
  required?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} required={required} defaultValue="">
        <option value="">{required ? 'Choose a column' : 'None'}</option>
        {columns.map((column) => (
          <option key={column.index} value={column.name}>
            {column.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** For a file no rule read: which of the columns found is the time, the value, the meter. */
export function ColumnMapping({
  columns,
  onSend,
}: {
  columns: LayoutColumn[];
  onSend: (mapping: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const unitId = useId();
  const named = columns.filter((column) => column.name);
  if (named.length === 0) return null;
  if (!open) {
    return (
      <p>
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          Name its columns and send it again
        </button>
      </p>
    );
  }
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '') || undefined;
    const mapping = {
      time: text('time'),
      usage: text('usage'),
      clock: text('clock'),
      meter: text('meter'),
      unit: text('unit'),
      cumulative: form.get('cumulative') === 'on',
      time_is_end: form.get('time_is_end') === 'on',
    };
    onSend(JSON.stringify(mapping));
  };
  return (
    <form className="mapping stack" onSubmit={submit} aria-label="Column mapping">
      <p className="hint">
        The file is sent again with these columns named; every other rule still applies.
      </p>
      <div className="grid">
        <Choice label="Time (or the date)" name="time" columns={named} required />
        <Choice label="Value" name="usage" columns={named} required />
        <Choice label="Time of day" name="clock" columns={named} />
        <Choice label="Meter" name="meter" columns={named} />
        <div className="field">
          <label htmlFor={unitId}>Unit</label>
          <select id={unitId} name="unit" defaultValue="kWh">
            <optgroup label="Every value in">
              {UNITS.map((unit) => (
                <option key={unit}>{unit}</option>
              ))}
            </optgroup>
            <optgroup label="A column naming each row's unit">
              {named.map((column) => (
                <option key={column.index} value={column.name}>
                  {column.name}
                </option>
              ))}
            </optgroup>
          </select>
        </div>
      </div>
      <label className="check">
        <input type="checkbox" name="cumulative" /> The values only grow (a meter reading)
      </label>
      <label className="check">
        <input type="checkbox" name="time_is_end" /> The times end their intervals
      </label>
      <div className="actions">
        <button type="submit">Send again with this mapping</button>
      </div>
    </form>
  );
}
