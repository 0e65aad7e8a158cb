import { DFrame } from '@acme/dframe';
import { describeComponent, fireEvent, render, screen, waitFor } from '@acme/dframe/testing';
import { ONCE, asTimestamp, asUserId, type Page, type TenantId, type User } from '@acme/once';
import { App } from '../App';

const user = (id: string, name: string, roles: User['roles'] = ['viewer']): User => ({
  id: asUserId(id),
  tenantId: 't-1' as TenantId,
  email: `${id}@acme.test`,
  displayName: name,
  roles,
  active: true,
  createdAt: asTimestamp('2023-11-05T08:00:00Z'),
});

const page: Page<User> = { items: [user('u1', 'Ada Park'), user('u2', 'Ben Ortiz', ['admin'])], total: 2, nextCursor: null };

beforeEach(() => {
  ONCE.configure({
    baseUrl: 'http://test.local/api',
    transport: async (input, init) => {
      const url = new URL(String(input));
      if (init?.method === 'PUT' && url.pathname === '/api/admin/users/u1/roles') {
        return new Response(JSON.stringify(user('u1', 'Ada Park', ['viewer', 'admin'])));
      }
      return new Response(JSON.stringify(page));
    },
  });
});

describeComponent('UsersPage', () => {
  it('lists users from the admin API', async () => {
    render(<App />);
    expect(await screen.findByText('Ada Park')).toBeDefined();
    expect(screen.getByText('Ben Ortiz')).toBeDefined();
  });

  it('filters by the search box', async () => {
    render(<App />);
    await screen.findByText('Ada Park');
    fireEvent.change(screen.getByRole('textbox'), { target: { value: 'ben' } });
    expect(screen.queryByText('Ada Park')).toBeNull();
  });

  it('promotes a user to admin', async () => {
    render(<App />);
    fireEvent.click(await screen.findByText('Make admin'));
    await waitFor(() => screen.getByText('Ada Park is now admin.'));
    expect(screen.queryByText('Make admin')).toBeNull();
  });
});
