import { ONCE, type User, type ApiResponse } from '@acme/once';

export async function me(): Promise<ApiResponse<User>> {
  return ONCE.apiClient.get<User>('/api/me');
}

export function report(error: unknown) {
  ONCE.reportError(error, 'me');
}
