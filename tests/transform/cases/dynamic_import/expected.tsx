import { DFrame } from '@acme/dframe';

export function LazyChart() {
  const [Chart, setChart] = DFrame.useState<null | ((props: { data: number[] }) => JSX.Element)>(null);
  DFrame.useEffect(() => {
    void import('./Chart').then((module) => setChart(() => module.Chart));
  }, []);
  return Chart ? <Chart data={[1, 2, 3]} /> : <p>Loading…</p>;
}

export async function loadReact() {
  const react = await import('react');
  return react.version;
}
