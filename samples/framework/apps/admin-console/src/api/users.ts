import { ONCE, type Page, type PageQuery, type Role, type User, type UserId } from '@acme/once';

export interface UserFilter extends PageQuery {
  search?: string;
  role?: Role;
}

export const usersApi = {
  async list(filter: UserFilter = {}): Promise<Page<User>> {
    const { data } = await ONCE.apiClient.get<Page<User>>('/admin/users', {
      query: { q: filter.search, role: filter.role, cursor: filter.cursor, limit: filter.limit ?? 50 },
    });
    return data;
  },

  async setRoles(id: UserId, roles: Role[]): Promise<User> {
    const { data } = await ONCE.apiClient.put<User>(`/admin/users/${id}/roles`, { roles });
    return data;
  },

  async deactivate(id: UserId): Promise<void> {
    await ONCE.apiClient.delete(`/admin/users/${id}`);
  },

  async invite(email: string, roles: Role[]): Promise<User> {
    const { data } = await ONCE.apiClient.post<User>('/admin/users', { email, roles });
    return data;
  },
};
