import { Forecast } from './weather';

const ICONS: Record<Forecast['condition'], string> = { sunny: '☀️', cloudy: '☁️', rain: '🌧️', snow: '❄️' };

export function WeatherCard({ forecast }: { forecast: Forecast }) {
  return (
    <div className="card">
      <h2>
        {ICONS[forecast.condition]} {forecast.city}
      </h2>
      <p className="temp">{Math.round(forecast.temperatureC)}°C</p>
      <p>Wind {forecast.windKph} km/h</p>
    </div>
  );
}
