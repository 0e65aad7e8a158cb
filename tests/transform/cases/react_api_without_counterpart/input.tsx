import { useState, useSyncExternalStore } from 'react';
import { store } from './store';

export function useTodos() {
  const [filter, setFilter] = useState('all');
  const todos = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return { todos: todos.filter((t) => filter === 'all' || t.state === filter), setFilter };
}
