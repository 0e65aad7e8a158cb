import React, { useReducer } from 'react';

type Action = { type: 'inc' } | { type: 'dec' };

interface CounterProps {
  children?: React.ReactNode;
  dispatchRef?: React.MutableRefObject<React.Dispatch<Action> | null>;
}

function reducer(state: number, action: Action): number {
  return action.type === 'inc' ? state + 1 : state - 1;
}

export const Counter: React.FC<CounterProps> = ({ children, dispatchRef }) => {
  const [count, dispatch] = useReducer(reducer, 0);
  if (dispatchRef) dispatchRef.current = dispatch;
  return (
    <div>
      {children}
      <output>{count}</output>
    </div>
  );
};
