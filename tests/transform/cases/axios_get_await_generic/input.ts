import axios from 'axios';
import type { User } from './types';

export async function listUsers(): Promise<User[]> {
  const res = await axios.get<User[]>('/api/users');
  return res.data;
}

export function firstUser(): Promise<User> {
  return axios.get<User[]>('/api/users').then((res) => res.data[0]);
}

export async function removeUser(id: number): Promise<void> {
  await axios.delete(`/api/users/${id}`);
}
