import { DFrame } from '@acme/dframe';

export function Search({ onSearch }: { onSearch: (q: string) => void }) {
  const [q, setQ] = DFrame.useState('');
  const submit = (event: DFrame.SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSearch(q);
  };
  return (
    <form onSubmit={submit}>
      <input value={q} onChange={(e) => setQ(e.target.value)} />
    </form>
  );
}
