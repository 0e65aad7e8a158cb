import { useState } from 'react';

export function makeTestStore() {
  const values: unknown[] = [];
  let cursor = 0;
  function useState<S>(initial: S): [S, (next: S) => void] {
    const index = cursor++;
    if (values.length <= index) values.push(initial);
    return [values[index] as S, (next: S) => (values[index] = next)];
  }
  return { useState, reset: () => (cursor = 0) };
}

export function useFlag(initial = false) {
  return useState(initial);
}
