import * as R from 'react';

export function Toggle() {
  const [on, setOn] = R.useState(false);
  const renders = R.useRef(0);
  R.useEffect(() => {
    renders.current += 1;
  });
  return <button onClick={() => setOn(!on)}>{on ? 'on' : 'off'}</button>;
}
