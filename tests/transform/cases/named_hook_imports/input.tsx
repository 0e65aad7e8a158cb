import { useEffect, useState } from 'react';

export function Counter({ step }: { step: number }) {
  const [count, setCount] = useState(0);
  useEffect(() => {
    document.title = `Count: ${count}`;
  }, [count]);
  return <button onClick={() => setCount(count + step)}>{count}</button>;
}
