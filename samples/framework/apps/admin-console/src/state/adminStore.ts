import { DFrame } from '@acme/dframe';
import type { Role, User, UserId } from '@acme/once';

export interface AdminState {
  users: User[];
  nextCursor: string | null;
  selected: UserId[];
  search: string;
  notice: string | null;
}

export type AdminAction =
  | { type: 'loaded'; users: User[]; nextCursor: string | null; append: boolean }
  | { type: 'search'; search: string }
  | { type: 'toggle'; id: UserId }
  | { type: 'updated'; user: User }
  | { type: 'removed'; id: UserId }
  | { type: 'notice'; message: string | null };

export const initialAdminState: AdminState = { users: [], nextCursor: null, selected: [], search: '', notice: null };

export function adminReducer(state: AdminState, action: AdminAction): AdminState {
  switch (action.type) {
    case 'loaded':
      return {
        ...state,
        users: action.append ? [...state.users, ...action.users] : action.users,
        nextCursor: action.nextCursor,
      };
    case 'search':
      return { ...state, search: action.search, selected: [] };
    case 'toggle':
      return {
        ...state,
        selected: state.selected.includes(action.id)
          ? state.selected.filter((id) => id !== action.id)
          : [...state.selected, action.id],
      };
    case 'updated':
      return { ...state, users: state.users.map((u) => (u.id === action.user.id ? action.user : u)) };
    case 'removed':
      return {
        ...state,
        users: state.users.filter((u) => u.id !== action.id),
        selected: state.selected.filter((id) => id !== action.id),
      };
    case 'notice':
      return { ...state, notice: action.message };
  }
}

export interface AdminStore {
  state: AdminState;
  dispatch: DFrame.Dispatch<AdminAction>;
}

export const AdminContext = DFrame.createContext<AdminStore | null>(null, 'AdminContext');

export function useAdminStore(): AdminStore {
  const store = DFrame.useContext(AdminContext);
  if (store === null) {
    throw new Error('useAdminStore must be used inside <AdminContext.Provider>');
  }
  return store;
}

export const hasRole = (user: User, role: Role): boolean => user.roles.includes(role);
