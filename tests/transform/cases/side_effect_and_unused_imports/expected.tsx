import './styles.css';
import 'whatwg-fetch';
import { useMemo } from 'react';
import { DFrame } from '@acme/dframe';

export function Clicker() {
  const [n, setN] = DFrame.useState(0);
  return <button onClick={() => setN(n + 1)}>{n}</button>;
}
