import React from 'react';
import { useLocalStorage } from './useLocalStorage';

export const PersistedCounter: React.FC<{ storageKey?: string }> = ({ storageKey = 'counter' }) => {
  const [count, setCount, clear] = useLocalStorage<number>(storageKey, 0);
  return (
    <div className="persisted-counter">
      <button onClick={() => setCount((c) => c - 1)}>-</button>
      <output>{count}</output>
      <button onClick={() => setCount((c) => c + 1)}>+</button>
      <button onClick={clear}>Reset</button>
    </div>
  );
};
