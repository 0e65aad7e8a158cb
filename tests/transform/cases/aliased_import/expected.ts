import { DFrame } from '@acme/dframe';

/** Seconds since mount. */
export function useUptime(): number {
  const [seconds, setSeconds] = DFrame.useState(0);
  const started = DFrame.useRef(Date.now());
  DFrame.useEffect(() => {
    const id = window.setInterval(() => setSeconds(Math.round((Date.now() - started.current) / 1000)), 1000);
    return () => window.clearInterval(id);
  }, []);
  return seconds;
}
