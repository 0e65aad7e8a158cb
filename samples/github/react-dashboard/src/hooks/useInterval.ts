import { useState as useS, useEffect, useRef } from 'react';

/** Calls `callback` every `delay` ms; pass null to pause. */
export function useInterval(callback: () => void, delay: number | null) {
  const saved = useRef(callback);

  useEffect(() => {
    saved.current = callback;
  }, [callback]);

  useEffect(() => {
    if (delay === null) return;
    const id = window.setInterval(() => saved.current(), delay);
    return () => window.clearInterval(id);
  }, [delay]);
}

/** Seconds since mount, updated once per second. */
export function useUptime(): number {
  const [seconds, setSeconds] = useS(0);
  useInterval(() => setSeconds((s) => s + 1), 1000);
  return seconds;
}
