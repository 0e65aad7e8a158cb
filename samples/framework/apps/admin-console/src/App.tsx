import { DFrame } from '@acme/dframe';
import { ONCE } from '@acme/once';
import { UsersPage } from './pages/UsersPage';
import { AdminContext, adminReducer, initialAdminState } from './state/adminStore';

const Shell: DFrame.FC<{ title: string }> = ({ title, children }) => (
  <div className="admin-shell">
    <header>
      <h1>{title}</h1>
    </header>
    <main>{children}</main>
  </div>
);

const SafeUsersPage = DFrame.withErrorBoundary(UsersPage, {
  onError: (error) => ONCE.reportError(error, 'admin-console/UsersPage'),
});

export const App: DFrame.FC = () => {
  const [state, dispatch] = DFrame.useReducer(adminReducer, initialAdminState);
  const store = DFrame.useMemo(() => ({ state, dispatch }), [state, dispatch]);

  return (
    <AdminContext.Provider value={store}>
      <Shell title="Admin console">
        <SafeUsersPage />
      </Shell>
    </AdminContext.Provider>
  );
};

export default App;
