import axios from 'axios';
import { ONCE } from '@acme/once';

export async function search(q: string, page = 1) {
  const { data } = await ONCE.apiClient.get('/api/search', { query: { q, page } });
  return data;
}

export async function searchWithTimeout(q: string) {
  const { data } = await axios.get('/api/search', { params: { q }, timeout: 1000 });
  return data;
}
