import axios from 'axios';
import { useCallback, useEffect, useState } from 'react';
import type { User } from '../types';

export function useUsers() {
  const [users, setUsers] = useState<User[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const res = await axios.get<User[]>('/api/users');
      setUsers(res.data);
      setError(null);
    } catch (e) {
      setError(axios.isAxiosError(e) ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  }, []);

  const invite = useCallback(async (email: string) => {
    const { data } = await axios.post<User>('/api/users', { email, role: 'member' });
    setUsers((current) => [...current, data]);
    return data;
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { users, loading, error, reload, invite };
}
