import axios, { type AxiosResponse } from 'axios';
import { ONCE, type User } from '@acme/once';

export async function me(): Promise<AxiosResponse<User>> {
  return axios.get<User>('/api/me');
}

export function report(error: unknown) {
  ONCE.reportError(error, 'me');
}
