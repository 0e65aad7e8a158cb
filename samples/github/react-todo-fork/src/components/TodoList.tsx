import React, { useState } from 'react';
import type { Filter, Todo } from '../types';

interface TodoListProps {
    todos: Todo[];
    filter: Filter;
    remaining: number;
    onAdd: (title: string) => void;
    onToggle: (todo: Todo) => void;
    onRemove: (id: string) => void;
    onFilterChange: (filter: Filter) => void;
}

const FILTERS: Filter[] = ['all', 'active', 'done'];

export function TodoList({ todos, filter, remaining, onAdd, onToggle, onRemove, onFilterChange }: TodoListProps) {
    const [draft, setDraft] = useState('');

    const handleSubmit = (event: { preventDefault(): void }) => {
        event.preventDefault();
        onAdd(draft);
        setDraft('');
    };

    return (
        <div className="todo-list">
            <form onSubmit={handleSubmit}>
                <input
                    aria-label="New todo"
                    placeholder="What needs to be done?"
                    value={draft}
                    onChange={(e) => setDraft(e.target.value)}
                />
                <button type="submit">Add</button>
            </form>

            <ul>
                {todos.map((todo) => (
                    <li key={todo.id} className={todo.done ? 'done' : undefined}>
                        <label>
                            <input type="checkbox" checked={todo.done} onChange={() => onToggle(todo)} />
                            {todo.title}
                        </label>
                        <button aria-label={`Delete ${todo.title}`} onClick={() => onRemove(todo.id)}>
                            ×
                        </button>
                    </li>
                ))}
            </ul>

            <footer>
                <span>{remaining} items left</span>
                {FILTERS.map((f) => (
                    <button key={f} disabled={f === filter} onClick={() => onFilterChange(f)}>
                        {f}
                    </button>
                ))}
            </footer>
        </div>
    );
}
