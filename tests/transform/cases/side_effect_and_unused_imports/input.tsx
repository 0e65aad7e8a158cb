import './styles.css';
import 'whatwg-fetch';
import { useMemo, useState } from 'react';

export function Clicker() {
  const [n, setN] = useState(0);
  return <button onClick={() => setN(n + 1)}>{n}</button>;
}
