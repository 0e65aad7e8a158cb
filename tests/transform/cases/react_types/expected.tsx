import { DFrame } from '@acme/dframe';

type Action = { type: 'inc' } | { type: 'dec' };

interface CounterProps {
  children?: DFrame.Node;
  dispatchRef?: DFrame.RefObject<DFrame.Dispatch<Action> | null>;
}

function reducer(state: number, action: Action): number {
  return action.type === 'inc' ? state + 1 : state - 1;
}

export const Counter: DFrame.FC<CounterProps> = ({ children, dispatchRef }) => {
  const [count, dispatch] = DFrame.useReducer(reducer, 0);
  if (dispatchRef) dispatchRef.current = dispatch;
  return (
    <div>
      {children}
      <output>{count}</output>
    </div>
  );
};
