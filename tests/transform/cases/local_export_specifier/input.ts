import { useState, useMemo } from 'react';

export function useToggle(initial = false) {
  const [on, setOn] = useState(initial);
  const toggle = useMemo(() => () => setOn((v) => !v), []);
  return [on, toggle] as const;
}

export { useState };
