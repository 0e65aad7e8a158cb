import { useState } from 'react';

export function broken( {
  const [a, setA] = useState(0);
  return a +;
}
