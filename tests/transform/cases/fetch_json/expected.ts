import type { Todo } from './types';
import { ONCE } from '@acme/once';

const BASE_URL = '/api/todos';

export async function listTodos(): Promise<Todo[]> {
  const todos: Todo[] = (await ONCE.apiClient.get<Todo[]>(BASE_URL)).data;
  return todos;
}

export async function getTodo(id: string): Promise<Todo> {
  return (await ONCE.apiClient.get(BASE_URL + '/' + id)).data;
}

export async function countTodos(): Promise<number> {
  const todos = (await ONCE.apiClient.get<Todo[]>(BASE_URL)).data;
  return todos.length;
}
