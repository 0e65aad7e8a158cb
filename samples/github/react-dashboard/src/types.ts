export interface User {
  id: number;
  name: string;
  email: string;
  role: 'admin' | 'member' | 'guest';
  lastSeen?: string;
}

export interface Metric {
  key: string;
  label: string;
  value: number;
  unit?: string;
  trend: 'up' | 'down' | 'flat';
}

export interface Paginated<T> {
  data: T[];
  page: number;
  perPage: number;
  total: number;
}

export type Dict = Record<string, any>;

export type Theme = 'light' | 'dark';
