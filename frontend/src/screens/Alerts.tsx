import { usePages } from '../api/pages';
import type { AlertOut } from '../client';
import { appAlertsListInfiniteOptions } from '../client/@tanstack/react-query.gen';
import { Problem } from '../components/Problem';
import { ShowMore } from '../components/ShowMore';
import { formatKwh, formatTime } from '../format';
import { useApplication } from './Application';

function AlertCard({ alert }: { alert: AlertOut }) {
  return (
    <li className="card alert">
      <p className="muted">{formatTime(alert.created_at)}</p>
      <dl className="figures">
        <div>
          <dt>Breaches</dt>
          <dd>{alert.breach_count}</dd>
        </div>
        <div>
          <dt>Largest reading</dt>
          <dd>{formatKwh(alert.max_kwh)}</dd>
        </div>
        <div>
          <dt>Threshold</dt>
          <dd>{formatKwh(alert.threshold_kwh)}</dd>
        </div>
      </dl>
      <h3>Deliveries</h3>
      <ul className="deliveries">
        {alert.deliveries.map((delivery) => (
          <li key={`${delivery.channel}-${delivery.target}`}>
            <span className={`badge ${delivery.status}`}>{delivery.status}</span>{' '}
            <strong>{delivery.channel}</strong> to {delivery.target}
            {delivery.error && <span className="muted"> — {delivery.error}</span>}
          </li>
        ))}
      </ul>
      <details>
        <summary>
          {alert.breach_count === 1
            ? 'The reading above the threshold'
            : `The first ${alert.breaches.length} readings above the threshold`}
        </summary>
        <table className="compact">
          <thead>
            <tr>
              <th>Meter</th>
              <th>Time</th>
              <th>kWh</th>
            </tr>
          </thead>
          <tbody>
            {alert.breaches.map((reading) => (
              <tr key={`${reading.meter_id}-${reading.timestamp}`}>
                <td>{reading.meter_id}</td>
                <td>{formatTime(reading.timestamp)}</td>
                <td>{reading.kwh}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </li>
  );
}

export function Alerts() {
  const appId = useApplication().id;
  const { query, items, more } = usePages(
    appAlertsListInfiniteOptions({ path: { app_id: appId }, query: { limit: 50 } }),
  );
  return (
    <section aria-labelledby="alerts-title">
      <h2 id="alerts-title">Alerts, newest first</h2>
      <Problem error={query.error} />
      {query.isSuccess && items.length === 0 && (
        <p className="muted">No alerts: no upload had a reading above its threshold.</p>
      )}
      <ul className="alert-list">
        {items.map((alert) => (
          <AlertCard key={alert.alert_id} alert={alert} />
        ))}
      </ul>
      <ShowMore more={more} label="Show older alerts" />
    </section>
  );
}
