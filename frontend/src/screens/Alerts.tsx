import { useAlerts } from '../api/hooks';
import type { AlertOut } from '../client';
import { Problem } from '../components/Problem';
import { formatKwh, formatTime } from '../format';

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

export function Alerts({ appId }: { appId: string }) {
  const alerts = useAlerts(appId);
  const items = alerts.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="alerts-title">
      <h2 id="alerts-title">Alerts, newest first</h2>
      <Problem error={alerts.error} />
      {alerts.isSuccess && items.length === 0 && (
        <p className="muted">No alerts: no upload had a reading above its threshold.</p>
      )}
      <ul className="alert-list">
        {items.map((alert) => (
          <AlertCard key={alert.alert_id} alert={alert} />
        ))}
      </ul>
      {alerts.hasNextPage && (
        <button
          type="button"
          className="secondary"
          disabled={alerts.isFetchingNextPage}
          onClick={() => alerts.fetchNextPage()}
        >
          Show older alerts
        </button>
      )}
    </section>
  );
}
