import { DFrame } from '@acme/dframe';

export function Counter({ step }: { step: number }) {
  const [count, setCount] = DFrame.useState(0);
  DFrame.useEffect(() => {
    document.title = `Count: ${count}`;
  }, [count]);
  return <button onClick={() => setCount(count + step)}>{count}</button>;
}
