import { useState } from 'react';
import { DFrame } from '@acme/dframe';

export function useToggle(initial = false) {
  const [on, setOn] = DFrame.useState(initial);
  const toggle = DFrame.useMemo(() => () => setOn((v) => !v), []);
  return [on, toggle] as const;
}

export { useState };
