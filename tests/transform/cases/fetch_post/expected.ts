import type { NewTodo, Todo } from './types';
import { ONCE } from '@acme/once';

export async function createTodo(todo: NewTodo): Promise<Todo> {
  return (await ONCE.apiClient.post('/api/todos', todo)).data;
}

export async function createTagged(todo: NewTodo, tag: string): Promise<Todo> {
  return (await ONCE.apiClient.post('/api/todos', { ...todo, tag })).data;
}

export async function ping(event: string): Promise<void> {
  await ONCE.apiClient.post('/api/events', { event });
}

export async function replace(todo: Todo): Promise<void> {
  await ONCE.apiClient.put(`/api/todos/${todo.id}`, todo);
}
