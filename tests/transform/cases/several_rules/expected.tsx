import type { User } from './types';
import { DFrame } from '@acme/dframe';
import { ONCE } from '@acme/once';

export const UserList: DFrame.FC<{ team: string }> = ({ team }) => {
  const [users, setUsers] = DFrame.useState<User[]>([]);

  DFrame.useEffect(() => {
    const load = async () => {
      try {
        const res = await ONCE.apiClient.get<User[]>(`/api/teams/${team}/users`);
        setUsers(res.data);
      } catch (err) {
        ONCE.reportError(err, 'src/several_rules');
      }
    };
    void load();
  }, [team]);

  return (
    <ul>
      {users.map((u) => (
        <li key={u.id}>{u.name}</li>
      ))}
    </ul>
  );
};
