import { useReducer } from 'react';
import type { User } from '../types';

export interface FiltersState {
  query: string;
  roles: Array<User['role']>;
  sortBy: 'name' | 'lastSeen';
  ascending: boolean;
}

export type FiltersAction =
  | { type: 'setQuery'; query: string }
  | { type: 'toggleRole'; role: User['role'] }
  | { type: 'sort'; sortBy: FiltersState['sortBy'] }
  | { type: 'reset' };

export const initialFilters: FiltersState = { query: '', roles: [], sortBy: 'name', ascending: true };

export function filtersReducer(state: FiltersState, action: FiltersAction): FiltersState {
  switch (action.type) {
    case 'setQuery':
      return { ...state, query: action.query };
    case 'toggleRole':
      return {
        ...state,
        roles: state.roles.includes(action.role) ? state.roles.filter((r) => r !== action.role) : [...state.roles, action.role],
      };
    case 'sort':
      return state.sortBy === action.sortBy
        ? { ...state, ascending: !state.ascending }
        : { ...state, sortBy: action.sortBy, ascending: true };
    case 'reset':
      return initialFilters;
    default:
      return state;
  }
}

export function applyFilters(users: User[], f: FiltersState): User[] {
  const q = f.query.toLowerCase();
  const filtered = users.filter(
    (u) => (f.roles.length === 0 || f.roles.includes(u.role)) && (u.name.toLowerCase().includes(q) || u.email.includes(q)),
  );
  const sorted = [...filtered].sort((a, b) => String(a[f.sortBy] ?? '').localeCompare(String(b[f.sortBy] ?? '')));
  return f.ascending ? sorted : sorted.reverse();
}

export function useFilters() {
  return useReducer(filtersReducer, initialFilters);
}
