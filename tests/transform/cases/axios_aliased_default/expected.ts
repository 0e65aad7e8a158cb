import { ONCE } from '@acme/once';

export async function saveNote(id: string, text: string) {
  const { data } = await ONCE.apiClient.put<{ ok: boolean }>(`/api/notes/${id}`, { text });
  return data.ok;
}

export const patchNote = (id: string, text: string) => ONCE.apiClient.patch(`/api/notes/${id}`, { text });
