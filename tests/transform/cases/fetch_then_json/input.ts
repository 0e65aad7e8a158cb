export function loadProfile(id: number) {
  return fetch(`/api/profiles/${id}`).then((res) => res.json());
}

export function loadSettings() {
  return fetch('/api/settings').then(r => r.json());
}

// Different parameter and receiver: not the JSON body, left alone.
export function loadHeaders(other: Response) {
  return fetch('/api/headers').then((res) => other.json());
}
