import axios, { AxiosError } from 'axios';
import type { Metric, Paginated, User } from '../types';

// Shared axios instance: every dashboard request goes through it.
export const http = axios.create({
  baseURL: '/api',
  timeout: 5000,
  headers: { 'X-Client': 'react-dashboard' },
});

http.interceptors.request.use((config) => {
  const token = localStorage.getItem('token');
  if (token) {
    config.headers.Authorization = `Bearer ${token}`;
  }
  return config;
});

export async function getMetrics(): Promise<Metric[]> {
  const { data } = await http.get<Metric[]>('/metrics');
  return data;
}

export async function getUsersPage(page = 1, perPage = 25): Promise<Paginated<User>> {
  const response = await http.get<Paginated<User>>('/users', { params: { page, perPage } });
  return response.data;
}

export async function updateUserRole(id: number, role: User['role']): Promise<User> {
  try {
    const { data } = await http.put<User>(`/users/${id}`, { role });
    return data;
  } catch (err) {
    const error = err as AxiosError<{ message?: string }>;
    throw new Error(error.response?.data?.message ?? `Could not update user ${id}`);
  }
}

export const removeUser = (id: number) => http.delete(`/users/${id}`);
