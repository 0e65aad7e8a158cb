import type { User } from './types';
import { ONCE } from '@acme/once';

export async function listUsers(): Promise<User[]> {
  const res = await ONCE.apiClient.get<User[]>('/api/users');
  return res.data;
}

export function firstUser(): Promise<User> {
  return ONCE.apiClient.get<User[]>('/api/users').then((res) => res.data[0]);
}

export async function removeUser(id: number): Promise<void> {
  await ONCE.apiClient.delete(`/api/users/${id}`);
}
