export type Listener<T> = (payload: T) => void;

/**
 * A typed event emitter. `Events` maps event names to payload types:
 *
 *   const bus = new Emitter<{ saved: { id: string }; closed: void }>();
 *   bus.on('saved', (e) => console.log(e.id));
 */
export class Emitter<Events extends Record<string, unknown>> {
  private listeners: { [K in keyof Events]?: Set<Listener<Events[K]>> } = {};

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    const set = (this.listeners[event] ??= new Set());
    set.add(listener);
    return () => this.off(event, listener);
  }

  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    const off = this.on(event, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    this.listeners[event]?.delete(listener);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): number {
    const set = this.listeners[event];
    if (!set) return 0;
    for (const listener of [...set]) listener(payload);
    return set.size;
  }

  listenerCount(event: keyof Events): number {
    return this.listeners[event]?.size ?? 0;
  }
}
