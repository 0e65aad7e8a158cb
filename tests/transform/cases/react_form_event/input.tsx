import React, { useState } from 'react';

export function Search({ onSearch }: { onSearch: (q: string) => void }) {
  const [q, setQ] = useState('');
  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSearch(q);
  };
  return (
    <form onSubmit={submit}>
      <input value={q} onChange={(e) => setQ(e.target.value)} />
    </form>
  );
}
