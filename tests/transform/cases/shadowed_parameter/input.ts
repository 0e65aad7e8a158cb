import { useState } from 'react';

type StateHook = <S>(initial: S) => [S, (next: S) => void];

/** Inside this function `useState` is the parameter, not React's hook. */
export function createSearchModel(useState: StateHook, minLength = 2) {
  return function useSearchModel() {
    const [term, setTerm] = useState('');
    return { term, setTerm, active: term.length >= minLength };
  };
}

export function useSearch() {
  const [term, setTerm] = useState('');
  return { term, setTerm };
}
