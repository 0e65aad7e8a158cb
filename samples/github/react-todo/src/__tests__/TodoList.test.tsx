import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { TodoList } from '../components/TodoList';
import type { Todo } from '../types';

const todos: Todo[] = [
  { id: '1', title: 'Buy milk', done: false, createdAt: 1 },
  { id: '2', title: 'Write tests', done: true, createdAt: 2 },
];

function setup(overrides: Partial<React.ComponentProps<typeof TodoList>> = {}) {
  const props = {
    todos,
    filter: 'all' as const,
    remaining: 1,
    onAdd: jest.fn(),
    onToggle: jest.fn(),
    onRemove: jest.fn(),
    onFilterChange: jest.fn(),
    ...overrides,
  };
  render(<TodoList {...props} />);
  return props;
}

describe('TodoList', () => {
  it('renders every todo', () => {
    setup();
    expect(screen.getByText('Buy milk')).toBeTruthy();
    expect(screen.getByText('Write tests')).toBeTruthy();
    expect(screen.getByText('1 items left')).toBeTruthy();
  });

  it('adds a todo on submit', () => {
    const props = setup();
    fireEvent.change(screen.getByLabelText('New todo'), { target: { value: 'Call mom' } });
    fireEvent.click(screen.getByText('Add'));
    expect(props.onAdd).toHaveBeenCalledWith('Call mom');
  });

  it('toggles and removes todos', () => {
    const props = setup();
    fireEvent.click(screen.getAllByRole('checkbox')[0]);
    expect(props.onToggle).toHaveBeenCalledWith(todos[0]);
    fireEvent.click(screen.getByLabelText('Delete Write tests'));
    expect(props.onRemove).toHaveBeenCalledWith('2');
  });
});
