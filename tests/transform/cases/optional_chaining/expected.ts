import axios from 'axios';
import { ONCE } from '@acme/once';

type Client = { get?: (url: string) => Promise<unknown> } | undefined;

export async function maybeLoad(client: Client, url: string) {
  const viaClient = await client?.get?.(url);
  const viaAxios = await axios?.get(url);
  const text = (await fetch(url))?.json();
  return { viaClient, viaAxios, text };
}

export async function load(url: string) {
  return ONCE.apiClient.get(url);
}
