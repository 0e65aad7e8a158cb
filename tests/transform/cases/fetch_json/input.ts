import type { Todo } from './types';

const BASE_URL = '/api/todos';

export async function listTodos(): Promise<Todo[]> {
  const todos: Todo[] = await (await fetch(BASE_URL)).json();
  return todos;
}

export async function getTodo(id: string): Promise<Todo> {
  return await (await fetch(BASE_URL + '/' + id)).json();
}

export async function countTodos(): Promise<number> {
  const todos = (await (await fetch(BASE_URL)).json()) as Todo[];
  return todos.length;
}
