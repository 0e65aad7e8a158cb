import { useState as useS, useEffect, useRef } from 'react';

/** Seconds since mount. */
export function useUptime(): number {
  const [seconds, setSeconds] = useS(0);
  const started = useRef(Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setSeconds(Math.round((Date.now() - started.current) / 1000)), 1000);
    return () => window.clearInterval(id);
  }, []);
  return seconds;
}
