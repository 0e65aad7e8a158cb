export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  cancel(): void;
  flush(): void;
}

/**
 * Delays calls to `fn` until `wait` ms have passed without another call.
 * With `leading: true` the first call of a burst runs immediately.
 */
export function debounce<A extends unknown[]>(
  fn: (...args: A) => void,
  wait: number,
  { leading = false }: { leading?: boolean } = {},
): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: A | undefined;

  const run = () => {
    timer = undefined;
    if (pending) {
      const args = pending;
      pending = undefined;
      fn(...args);
    }
  };

  const debounced = ((...args: A) => {
    const callNow = leading && timer === undefined;
    if (timer !== undefined) clearTimeout(timer);
    pending = callNow ? undefined : args;
    timer = setTimeout(run, wait);
    if (callNow) fn(...args);
  }) as Debounced<A>;

  debounced.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    pending = undefined;
  };

  debounced.flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    run();
  };

  return debounced;
}
