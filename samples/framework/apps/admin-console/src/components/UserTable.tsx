import { DFrame } from '@acme/dframe';
import type { Role, User } from '@acme/once';
import { hasRole, useAdminStore } from '../state/adminStore';

export interface UserTableProps {
  onPromote: (user: User, role: Role) => void;
  onDeactivate: (user: User) => void;
}

export const UserTable: DFrame.FC<UserTableProps> = ({ onPromote, onDeactivate }) => {
  const { state, dispatch } = useAdminStore();

  const visible = DFrame.useMemo(() => {
    const needle = state.search.trim().toLowerCase();
    return needle
      ? state.users.filter((u) => u.displayName.toLowerCase().includes(needle) || u.email.includes(needle))
      : state.users;
  }, [state.users, state.search]);

  if (visible.length === 0) {
    return <p>No users match “{state.search}”.</p>;
  }

  return (
    <table className="user-table">
      <thead>
        <tr>
          <th />
          <th>Name</th>
          <th>Email</th>
          <th>Roles</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {visible.map((user) => (
          <tr key={user.id} data-testid={`user-${user.id}`}>
            <td>
              <input
                type="checkbox"
                aria-label={`Select ${user.displayName}`}
                checked={state.selected.includes(user.id)}
                onChange={() => dispatch({ type: 'toggle', id: user.id })}
              />
            </td>
            <td>{user.displayName}</td>
            <td>{user.email}</td>
            <td>{user.roles.join(', ')}</td>
            <td>
              {hasRole(user, 'admin') ? null : (
                <button type="button" onClick={() => onPromote(user, 'admin')}>
                  Make admin
                </button>
              )}
              <button type="button" disabled={!user.active} onClick={() => onDeactivate(user)}>
                Deactivate
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};
