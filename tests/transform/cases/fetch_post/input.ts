import type { NewTodo, Todo } from './types';

export async function createTodo(todo: NewTodo): Promise<Todo> {
  return await (await fetch('/api/todos', { method: 'POST', body: JSON.stringify(todo) })).json();
}

export async function createTagged(todo: NewTodo, tag: string): Promise<Todo> {
  return await (
    await fetch('/api/todos', {
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...todo, tag }),
      method: "POST",
    })
  ).json();
}

export async function ping(event: string): Promise<void> {
  await fetch('/api/events', { method: 'POST', body: JSON.stringify({ event }) });
}

export async function replace(todo: Todo): Promise<void> {
  await fetch(`/api/todos/${todo.id}`, { method: 'PUT', body: JSON.stringify(todo) });
}
