export interface Forecast {
  city: string;
  temperatureC: number;
  condition: 'sunny' | 'cloudy' | 'rain' | 'snow';
  windKph: number;
}

const API = 'https://api.weather.example/v1';

export async function getForecast(city: string, signal?: AbortSignal): Promise<Forecast> {
  const response = await fetch(`${API}/forecast?city=${encodeURIComponent(city)}`, { signal });
  if (response.status === 404) {
    throw new Error(`Unknown city: ${city}`);
  }
  if (!response.ok) {
    throw new Error(`Weather service error (${response.status})`);
  }
  return response.json();
}
