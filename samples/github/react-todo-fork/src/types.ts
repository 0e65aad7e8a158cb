export type Item = {
  id: string;
  createdAt: number;
};

export type Todo = Item & {
  title: string;
  done: boolean;
  tags?: string[];
};

export type NewTodo = Pick<Todo, 'title'> & Partial<Pick<Todo, 'tags'>>;

export type Filter = 'all' | 'active' | 'done';

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: string };

// Free-form metadata the server may attach to a todo.
export type Meta = Record<string, any>;
