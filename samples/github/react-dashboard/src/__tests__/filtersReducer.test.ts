import { applyFilters, filtersReducer, initialFilters } from '../state/filtersReducer';
import type { User } from '../types';

const users: User[] = [
  { id: 1, name: 'Zoe', email: 'zoe@example.com', role: 'admin' },
  { id: 2, name: 'Adam', email: 'adam@example.com', role: 'member' },
  { id: 3, name: 'Mia', email: 'mia@example.com', role: 'guest' },
];

describe('filtersReducer', () => {
  it('toggles roles on and off', () => {
    const on = filtersReducer(initialFilters, { type: 'toggleRole', role: 'admin' });
    expect(on.roles).toEqual(['admin']);
    expect(filtersReducer(on, { type: 'toggleRole', role: 'admin' }).roles).toEqual([]);
  });

  it('flips direction when sorting by the same column twice', () => {
    const once = filtersReducer(initialFilters, { type: 'sort', sortBy: 'name' });
    expect(once.ascending).toBe(false);
  });

  it('filters by role and sorts by name', () => {
    const withAdmins = filtersReducer(initialFilters, { type: 'toggleRole', role: 'admin' });
    const state = filtersReducer(withAdmins, { type: 'toggleRole', role: 'guest' });
    expect(applyFilters(users, state).map((u) => u.name)).toEqual(['Mia', 'Zoe']);
  });

  it('matches the query against names', () => {
    const state = filtersReducer(initialFilters, { type: 'setQuery', query: 'ada' });
    expect(applyFilters(users, state)).toHaveLength(1);
  });
});
