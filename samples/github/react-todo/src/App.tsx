import React from 'react';
import { ErrorBoundary } from './ErrorBoundary';
import { TodoList } from './components/TodoList';
import { useTodos } from './hooks/useTodos';

export default function App() {
  const { todos, filter, setFilter, loading, error, add, toggle, remove, remaining } = useTodos();

  return (
    <ErrorBoundary>
      <main>
        <h1>Todos</h1>
        {error && <p className="error">{error}</p>}
        {loading ? (
          <p>Loading…</p>
        ) : (
          <TodoList
            todos={todos}
            filter={filter}
            remaining={remaining}
            onAdd={add}
            onToggle={toggle}
            onRemove={remove}
            onFilterChange={setFilter}
          />
        )}
      </main>
    </ErrorBoundary>
  );
}
