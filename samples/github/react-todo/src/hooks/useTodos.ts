import { useCallback, useEffect, useMemo, useState } from 'react';
import { createTodo, deleteTodo, fetchTodos, toggleTodo } from '../api/todos';
import type { Filter, Todo } from '../types';

export function useTodos() {
  const [todos, setTodos] = useState<Todo[]>([]);
  const [filter, setFilter] = useState<Filter>('all');
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let ignore = false;
    fetchTodos().then((result) => {
      if (ignore) return;
      if (result.ok) {
        setTodos(result.data);
      } else {
        setError(result.error);
      }
      setLoading(false);
    });
    return () => {
      ignore = true;
    };
  }, []);

  const add = useCallback(async (title: string) => {
    const trimmed = title.trim();
    if (!trimmed) return;
    const result = await createTodo({ title: trimmed });
    if (result.ok) {
      setTodos((prev) => [...prev, result.data]);
    } else {
      setError(result.error);
    }
  }, []);

  const toggle = useCallback(async (todo: Todo) => {
    const result = await toggleTodo(todo.id, !todo.done);
    if (result.ok) {
      setTodos((prev) => prev.map((t) => (t.id === todo.id ? result.data : t)));
    }
  }, []);

  const remove = useCallback(async (id: string) => {
    const result = await deleteTodo(id);
    if (result.ok) {
      setTodos((prev) => prev.filter((t) => t.id !== id));
    }
  }, []);

  const visible = useMemo(() => {
    switch (filter) {
      case 'active':
        return todos.filter((t) => !t.done);
      case 'done':
        return todos.filter((t) => t.done);
      default:
        return todos;
    }
  }, [todos, filter]);

  const remaining = todos.filter((t) => !t.done).length;

  return { todos: visible, filter, setFilter, loading, error, add, toggle, remove, remaining };
}
