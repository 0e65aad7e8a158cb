import { useEffect, useState } from 'react';

export function LazyChart() {
  const [Chart, setChart] = useState<null | ((props: { data: number[] }) => JSX.Element)>(null);
  useEffect(() => {
    void import('./Chart').then((module) => setChart(() => module.Chart));
  }, []);
  return Chart ? <Chart data={[1, 2, 3]} /> : <p>Loading…</p>;
}

export async function loadReact() {
  const react = await import('react');
  return react.version;
}
