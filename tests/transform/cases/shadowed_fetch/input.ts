import type { Dict } from './types';

const memory: Dict = {};

/** Uses the real, global fetch. */
export async function loadConfig(url: string): Promise<Dict> {
  return await (await fetch(url)).json();
}

/** `fetch` here is a local function that reads the in-memory cache. */
export function createOfflineReader(seed: Dict) {
  Object.assign(memory, seed);
  function fetch(key: string): { json(): unknown } {
    return { json: () => memory[key] ?? null };
  }
  return {
    read: async (key: string) => await (await fetch(key)).json(),
  };
}

// A parameter named `fetch` also shadows the global inside this function.
export async function viaLoader(fetch: (url: string) => Promise<Response>, url: string) {
  return await (await fetch(url)).json();
}
