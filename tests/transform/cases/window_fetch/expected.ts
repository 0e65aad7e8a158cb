import { ONCE } from '@acme/once';

export async function loadTheme() {
  return (await ONCE.apiClient.get('/api/theme')).data;
}

export async function loadLocale() {
  return (await ONCE.apiClient.get('/api/locale')).data;
}
