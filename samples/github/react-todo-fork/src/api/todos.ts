import type { ApiResult, NewTodo, Todo } from '../types';

const API_URL = '/api/todos';

async function request<T>(url: string, init?: RequestInit): Promise<ApiResult<T>> {
  try {
    const res = await fetch(url, {
      ...init,
      headers: { 'Content-Type': 'application/json', ...(init?.headers ?? {}) },
    });
    if (!res.ok) {
      return { ok: false, error: `Request failed with status ${res.status}` };
    }
    const data = (await res.json()) as T;
    return { ok: true, data };
  } catch (err) {
    console.error('Could not reach the todo server', err);
    return { ok: false, error: err instanceof Error ? err.message : 'Unknown error' };
  }
}

export async function fetchTodos(): Promise<ApiResult<Todo[]>> {
  return request<Todo[]>(API_URL);
}

export async function createTodo(todo: NewTodo): Promise<ApiResult<Todo>> {
  return request<Todo>(API_URL, { method: 'POST', body: JSON.stringify(todo) });
}

export async function toggleTodo(id: string, done: boolean): Promise<ApiResult<Todo>> {
  return request<Todo>(`${API_URL}/${id}`, { method: 'PATCH', body: JSON.stringify({ done }) });
}

export async function deleteTodo(id: string): Promise<ApiResult<null>> {
  return request<null>(`${API_URL}/${id}`, { method: 'DELETE' });
}

export async function deleteCompleted(ids: string[]): Promise<ApiResult<null>> {
  return request<null>(`${API_URL}/bulk-delete`, { method: 'POST', body: JSON.stringify({ ids }) });
}
