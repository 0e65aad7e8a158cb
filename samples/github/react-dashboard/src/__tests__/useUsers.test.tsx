import { renderHook, waitFor, act } from '@testing-library/react';
import axios from 'axios';
import { useUsers } from '../hooks/useUsers';

jest.mock('axios');
const mockedAxios = axios as jest.Mocked<typeof axios>;

describe('useUsers', () => {
  it('loads users on mount', async () => {
    mockedAxios.get.mockResolvedValueOnce({ data: [{ id: 1, name: 'Ana', email: 'ana@example.com', role: 'admin' }] });
    const { result } = renderHook(() => useUsers());
    await waitFor(() => expect(result.current.users).toHaveLength(1));
    expect(mockedAxios.get).toHaveBeenCalledWith('/api/users');
  });

  it('appends invited users', async () => {
    mockedAxios.get.mockResolvedValueOnce({ data: [] });
    mockedAxios.post.mockResolvedValueOnce({ data: { id: 7, name: '', email: 'new@example.com', role: 'member' } });
    const { result } = renderHook(() => useUsers());
    await act(async () => {
      await result.current.invite('new@example.com');
    });
    expect(result.current.users.map((u) => u.email)).toEqual(['new@example.com']);
  });
});
