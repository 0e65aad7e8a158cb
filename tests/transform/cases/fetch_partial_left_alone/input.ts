export async function loadJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { credentials: 'include' });
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
  return (await res.json()) as T;
}

export async function remove(url: string): Promise<void> {
  await fetch(url, { method: 'DELETE' });
}
