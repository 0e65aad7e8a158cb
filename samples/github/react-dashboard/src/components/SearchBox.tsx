import { useState, useEffect, useRef } from 'react';

type StateHook = <S>(initial: S) => [S, (next: S) => void];

/**
 * Headless search logic that can run on React state or on any store that
 * offers a compatible hook. Inside this function `useState` is the
 * parameter, not React's hook.
 */
export function createSearchModel(useState: StateHook, minLength = 2) {
  return function useSearchModel() {
    const [term, setTerm] = useState('');
    const active = term.length >= minLength;
    return { term, setTerm, active };
  };
}

/** A store-backed state hook for tests; its local `useState` shadows the import. */
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

interface SearchBoxProps {
  placeholder?: string;
  onSearch: (term: string) => void;
  delay?: number;
}

export function SearchBox({ placeholder = 'Search…', onSearch, delay = 300 }: SearchBoxProps) {
  const [value, setValue] = useState('');
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => onSearch(value.trim()), delay);
    return () => window.clearTimeout(timer.current);
  }, [value, delay, onSearch]);

  return (
    <div className="search-box">
      <input placeholder={placeholder} value={value} onChange={(e) => setValue(e.target.value)} />
      {value && (
        <button type="button" aria-label="Clear search" onClick={() => setValue('')}>
          ✕
        </button>
      )}
    </div>
  );
}
