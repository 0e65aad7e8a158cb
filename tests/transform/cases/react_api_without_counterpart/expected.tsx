import { useSyncExternalStore } from 'react';
import { store } from './store';
import { DFrame } from '@acme/dframe';

export function useTodos() {
  const [filter, setFilter] = DFrame.useState('all');
  const todos = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return { todos: todos.filter((t) => filter === 'all' || t.state === filter), setFilter };
}
