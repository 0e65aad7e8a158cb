// Type definitions for isc-utils 0.4
// Hand-written declarations for consumers that do not compile the sources.

export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  cancel(): void;
  flush(): void;
}

export declare function debounce<A extends unknown[]>(
  fn: (...args: A) => void,
  wait: number,
  options?: { leading?: boolean },
): Debounced<A>;

export declare function formatDate(input: Date | number | string, pattern?: string): string;

export declare function relativeTime(from: Date, now?: Date): string;

export type Listener<T> = (payload: T) => void;

export declare class Emitter<Events extends Record<string, unknown>> {
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void;
  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void;
  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void;
  emit<K extends keyof Events>(event: K, payload: Events[K]): number;
  listenerCount(event: keyof Events): number;
}
