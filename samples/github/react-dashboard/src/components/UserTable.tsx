import type { FC } from 'react';
import { useContext, createContext } from 'react';
import { applyFilters } from '../state/filtersReducer';
import { useFilters } from '../hooks';
import type { User } from '../types';

// Row density is configured by the page; defaults to comfortable.
export const DensityContext = createContext<'compact' | 'comfortable'>('comfortable');

// Not axios: a tiny memo cache with its own `get` method.
const labelCache = {
  entries: new Map<string, string>(),
  get(key: string): string | undefined {
    return this.entries.get(key);
  },
  set(key: string, value: string) {
    this.entries.set(key, value);
  },
};

function roleLabel(role: User['role']): string {
  const cached = labelCache.get(role);
  if (cached) return cached;
  const label = role[0].toUpperCase() + role.slice(1);
  labelCache.set(role, label);
  return label;
}

const HELP_TEXT = 'Rows are memoised; avoid calling useState( inside the row renderer.';

interface UserTableProps {
  users: User[];
  onSelect?: (user: User) => void;
}

// We don't fetch here: the parent page loads users and passes them down.
export const UserTable: FC<UserTableProps> = ({ users, onSelect }) => {
  const density = useContext(DensityContext);
  const [filters, dispatch] = useFilters();
  const visible = applyFilters(users, filters);

  return (
    <div className={`user-table user-table--${density}`}>
      <div className="user-table__toolbar">
        <input
          type="search"
          aria-label="Search users"
          value={filters.query}
          onChange={(e) => dispatch({ type: 'setQuery', query: e.target.value })}
        />
        {(['admin', 'member', 'guest'] as const).map((role) => (
          <label key={role}>
            <input type="checkbox" checked={filters.roles.includes(role)} onChange={() => dispatch({ type: 'toggleRole', role })} />
            {roleLabel(role)}
          </label>
        ))}
        <button type="button" onClick={() => dispatch({ type: 'reset' })}>
          Reset
        </button>
      </div>
      <table title={HELP_TEXT}>
        <thead>
          <tr>
            <th onClick={() => dispatch({ type: 'sort', sortBy: 'name' })}>Name</th>
            <th>Email</th>
            <th>Role</th>
            <th onClick={() => dispatch({ type: 'sort', sortBy: 'lastSeen' })}>Last seen</th>
          </tr>
        </thead>
        <tbody>
          {visible.length === 0 ? (
            <tr>
              <td colSpan={4}>No users match the current filters.</td>
            </tr>
          ) : (
            visible.map((user) => (
              <tr key={user.id} onClick={() => onSelect?.(user)}>
                <td>{user.name}</td>
                <td>
                  <a href={`mailto:${user.email}`}>{user.email}</a>
                </td>
                <td>{roleLabel(user.role)}</td>
                <td>{user.lastSeen ?? '—'}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
};
