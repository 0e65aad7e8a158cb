import { DFrame } from '@acme/dframe';

export function Toggle() {
  const [on, setOn] = DFrame.useState(false);
  const renders = DFrame.useRef(0);
  DFrame.useEffect(() => {
    renders.current += 1;
  });
  return <button onClick={() => setOn(!on)}>{on ? 'on' : 'off'}</button>;
}
