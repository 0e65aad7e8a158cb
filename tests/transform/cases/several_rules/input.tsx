import axios from 'axios';
import React, { useEffect, useState } from 'react';
import type { User } from './types';

export const UserList: React.FC<{ team: string }> = ({ team }) => {
  const [users, setUsers] = useState<User[]>([]);

  useEffect(() => {
    const load = async () => {
      try {
        const res = await axios.get<User[]>(`/api/teams/${team}/users`);
        setUsers(res.data);
      } catch (err) {
        console.error(err);
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
