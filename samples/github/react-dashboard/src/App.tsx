import React from 'react';
import { MetricsPanel } from './components/MetricsPanel';
import { SearchBox } from './components/SearchBox';
import { DensityContext, UserTable } from './components/UserTable';
import { ThemeProvider, useTheme } from './context/ThemeContext';
import { useUptime, useUsers } from './hooks';
import type { User } from './types';

function Header() {
  const { theme, dispatch } = useTheme();
  const uptime = useUptime();
  return (
    <header className="app-header">
      <h1>Operations</h1>
      <span className="app-header__uptime">up {uptime}s</span>
      <button type="button" onClick={() => dispatch({ type: 'toggle' })}>
        {theme === 'light' ? 'Dark mode' : 'Light mode'}
      </button>
    </header>
  );
}

function Dashboard() {
  const { users, loading, error, reload } = useUsers();
  const [search, setSearch] = React.useState('');
  const [selected, setSelected] = React.useState<User | null>(null);

  const matching = React.useMemo(
    () => users.filter((u) => u.name.toLowerCase().includes(search.toLowerCase())),
    [users, search],
  );
  const adminCount = React.useMemo(() => users.filter((u) => u.role === 'admin').length, [users]);
  const handleSearch = React.useCallback((term: string) => setSearch(term), []);

  return (
    <div className="dashboard">
      <MetricsPanel highlight={['errors', 'p95']} />
      <section className="dashboard__users">
        <h2>
          Users <small>({adminCount} admins)</small>
        </h2>
        <SearchBox onSearch={handleSearch} />
        {error ? (
          <div role="alert">
            {error} <button onClick={() => void reload()}>Retry</button>
          </div>
        ) : loading ? (
          <p>Loading users…</p>
        ) : (
          <DensityContext.Provider value="compact">
            <UserTable users={matching} onSelect={setSelected} />
          </DensityContext.Provider>
        )}
        {selected && (
          <aside className="dashboard__details">
            <h3>{selected.name}</h3>
            <p>{selected.email}</p>
            <button onClick={() => setSelected(null)}>Close</button>
          </aside>
        )}
      </section>
    </div>
  );
}

export default function App() {
  return (
    <ThemeProvider>
      <Header />
      <Dashboard />
    </ThemeProvider>
  );
}
