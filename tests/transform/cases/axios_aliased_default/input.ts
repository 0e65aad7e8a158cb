import http from 'axios';

export async function saveNote(id: string, text: string) {
  const { data } = await http.put<{ ok: boolean }>(`/api/notes/${id}`, { text });
  return data.ok;
}

export const patchNote = (id: string, text: string) => http.patch(`/api/notes/${id}`, { text });
