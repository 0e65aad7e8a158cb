import React from 'react';

export function useSelection<T>() {
  const [selected, setSelected] = React.useState<T | null>(null);
  const [history] = React.useState<Array<T>>([]);
  const count = React.useRef<number>(0);
  return { selected, setSelected, history, count };
}
