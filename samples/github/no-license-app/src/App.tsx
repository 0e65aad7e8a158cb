import { useEffect, useState } from 'react';
import { WeatherCard } from './WeatherCard';
import { Forecast, getForecast } from './weather';

export default function App() {
  const [city, setCity] = useState('Lisbon');
  const [forecast, setForecast] = useState<Forecast | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    const controller = new AbortController();
    setError('');
    getForecast(city, controller.signal)
      .then(setForecast)
      .catch((e: Error) => {
        if (e.name !== 'AbortError') setError(e.message);
      });
    return () => controller.abort();
  }, [city]);

  return (
    <div className="app">
      <select value={city} onChange={(e) => setCity(e.target.value)}>
        {['Lisbon', 'Oslo', 'Nairobi', 'Osaka'].map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
      {error ? <p className="error">{error}</p> : forecast ? <WeatherCard forecast={forecast} /> : <p>Loading…</p>}
    </div>
  );
}
