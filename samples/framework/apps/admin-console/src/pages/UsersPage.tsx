import { DFrame } from '@acme/dframe';
import { ONCE, type Role, type User } from '@acme/once';
import { usersApi } from '../api/users';
import { UserTable } from '../components/UserTable';
import { useAdminStore } from '../state/adminStore';

export const UsersPage: DFrame.FC = () => {
  const { state, dispatch } = useAdminStore();
  const [loading, setLoading] = DFrame.useState(false);
  const requestSeq = DFrame.useRef(0);

  const load = DFrame.useCallback(
    async (cursor?: string) => {
      const seq = ++requestSeq.current;
      setLoading(true);
      try {
        const page = await usersApi.list({ cursor });
        if (seq === requestSeq.current) {
          dispatch({ type: 'loaded', users: page.items, nextCursor: page.nextCursor, append: cursor !== undefined });
        }
      } catch (error) {
        ONCE.reportError(error, 'admin-console/UsersPage.load');
        dispatch({ type: 'notice', message: 'Loading users failed. Please try again.' });
      } finally {
        setLoading(false);
      }
    },
    [dispatch],
  );

  DFrame.useEffect(() => {
    void load();
  }, [load]);

  const promote = async (user: User, role: Role) => {
    try {
      const updated = await usersApi.setRoles(user.id, [...user.roles, role]);
      dispatch({ type: 'updated', user: updated });
      dispatch({ type: 'notice', message: `${updated.displayName} is now ${role}.` });
    } catch (error) {
      const message = ONCE.isApiError(error) && error.status === 403 ? 'You may not change roles.' : 'Update failed.';
      ONCE.reportError(error, { scope: 'admin-console/promote', tags: { user: user.id } });
      dispatch({ type: 'notice', message });
    }
  };

  const deactivate = async (user: User) => {
    try {
      await usersApi.deactivate(user.id);
      dispatch({ type: 'removed', id: user.id });
    } catch (error) {
      ONCE.reportError(error, 'admin-console/deactivate');
    }
  };

  return (
    <section>
      <h2>Users</h2>
      {state.notice ? <p role="status">{state.notice}</p> : null}
      <input
        type="search"
        placeholder="Search users"
        value={state.search}
        onChange={(e) => dispatch({ type: 'search', search: e.target.value })}
      />
      <UserTable onPromote={(u, r) => void promote(u, r)} onDeactivate={(u) => void deactivate(u)} />
      {state.nextCursor !== null ? (
        <button type="button" disabled={loading} onClick={() => void load(state.nextCursor ?? undefined)}>
          Load more
        </button>
      ) : null}
    </section>
  );
};
