import * as R from 'react';
import { getMetrics } from '../api/http';
import { useInterval } from '../hooks';
import type { Metric } from '../types';

const TREND_ICON: Record<Metric['trend'], string> = { up: '▲', down: '▼', flat: '■' };

interface MetricsPanelProps {
  refreshMs?: number;
  highlight?: string[];
}

export function MetricsPanel({ refreshMs = 10_000, highlight = [] }: MetricsPanelProps) {
  const [metrics, setMetrics] = R.useState<Metric[]>([]);
  const [status, setStatus] = R.useState<'idle' | 'loading' | 'error'>('idle');
  const [updatedAt, setUpdatedAt] = R.useState<Date | null>(null);
  const lastGood = R.useRef<Metric[]>([]);

  const refresh = R.useCallback(async () => {
    setStatus('loading');
    try {
      const next = await getMetrics();
      lastGood.current = next;
      setMetrics(next);
      setUpdatedAt(new Date());
      setStatus('idle');
    } catch {
      setMetrics(lastGood.current);
      setStatus('error');
    }
  }, []);

  R.useEffect(() => {
    void refresh();
  }, [refresh]);

  useInterval(() => void refresh(), refreshMs);

  return (
    <section className="metrics-panel" aria-busy={status === 'loading'}>
      <header className="metrics-panel__header">
        <h2>Live metrics</h2>
        <button type="button" onClick={() => void refresh()} disabled={status === 'loading'}>
          Refresh
        </button>
      </header>
      {status === 'error' && (
        <p role="alert" className="metrics-panel__error">
          Could not load metrics. Showing the last known values.
        </p>
      )}
      <ul className="metrics-panel__grid">
        {metrics.map((m) => (
          <li key={m.key} className={highlight.includes(m.key) ? 'metric metric--highlight' : 'metric'} data-testid={`metric-${m.key}`}>
            <span className="metric__label">{m.label}</span>
            <strong className="metric__value">
              {m.value.toLocaleString()}
              {m.unit ? <small> {m.unit}</small> : null}
            </strong>
            <span className={`metric__trend metric__trend--${m.trend}`} aria-label={`trend ${m.trend}`}>
              {TREND_ICON[m.trend]}
            </span>
          </li>
        ))}
      </ul>
      <footer>{updatedAt ? <time dateTime={updatedAt.toISOString()}>Updated {updatedAt.toLocaleTimeString()}</time> : 'Never updated'}</footer>
    </section>
  );
}
