import type { ApiResult, NewTodo, Todo } from '../types';

const BASE_URL = '/api/todos';

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
    console.error('Network error', err);
    return { ok: false, error: err instanceof Error ? err.message : 'Unknown error' };
  }
}

export async function fetchTodos(): Promise<ApiResult<Todo[]>> {
  return request<Todo[]>(BASE_URL);
}

export async function createTodo(todo: NewTodo): Promise<ApiResult<Todo>> {
  return request<Todo>(BASE_URL, { method: 'POST', body: JSON.stringify(todo) });
}

export async function toggleTodo(id: string, done: boolean): Promise<ApiResult<Todo>> {
  return request<Todo>(`${BASE_URL}/${id}`, { method: 'PATCH', body: JSON.stringify({ done }) });
}

export async function deleteTodo(id: string): Promise<ApiResult<null>> {
  return request<null>(`${BASE_URL}/${id}`, { method: 'DELETE' });
}
