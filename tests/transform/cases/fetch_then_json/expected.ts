import { ONCE } from '@acme/once';

export function loadProfile(id: number) {
  return ONCE.apiClient.get(`/api/profiles/${id}`).then((res) => res.data);
}

export function loadSettings() {
  return ONCE.apiClient.get('/api/settings').then((r) => r.data);
}

// Different parameter and receiver: not the JSON body, left alone.
export function loadHeaders(other: Response) {
  return fetch('/api/headers').then((res) => other.json());
}
