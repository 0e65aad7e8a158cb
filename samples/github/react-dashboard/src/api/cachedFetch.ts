import type { Dict } from '../types';

const memory: Dict = {};

/** Uses the real, global fetch. */
export async function loadJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { credentials: 'include' });
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
  return (await res.json()) as T;
}

/**
 * Offline mode: `fetch` here is a local function that reads the in-memory
 * cache. It shadows the global and must not be treated as a network call.
 */
export function createOfflineReader(seed: Dict) {
  Object.assign(memory, seed);

  function fetch(key: string): unknown {
    return memory[key] ?? null;
  }

  return {
    read<T>(key: string): T | null {
      return fetch(key) as T | null;
    },
    has: (key: string) => fetch(key) !== null,
  };
}

// A parameter named `fetch` also shadows the global inside this function.
export async function withRetry<T>(fetch: () => Promise<T>, attempts = 3): Promise<T> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fetch();
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}
