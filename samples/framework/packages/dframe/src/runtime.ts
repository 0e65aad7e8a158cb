/**
 * Hook bookkeeping. Each mounted component owns an `Instance`; hooks are
 * stored by call order, so hooks must not be called conditionally.
 */

export interface Instance {
  readonly path: string;
  hooks: unknown[];
  cursor: number;
  pendingEffects: Array<() => void>;
  cleanups: Map<number, () => void>;
  requestRender(): void;
}

let current: Instance | null = null;

export function createInstance(path: string, requestRender: () => void): Instance {
  return { path, hooks: [], cursor: 0, pendingEffects: [], cleanups: new Map(), requestRender };
}

export function currentInstance(hookName: string): Instance {
  if (current === null) {
    throw new Error(`DFrame.${hookName} was called outside of a component render.`);
  }
  return current;
}

/** Runs `render` with `instance` as the owner of every hook it calls. */
export function renderWith<T>(instance: Instance, render: () => T): T {
  const previous = current;
  current = instance;
  instance.cursor = 0;
  try {
    return render();
  } finally {
    current = previous;
  }
}

/** Returns the slot for the next hook, creating it with `init` on first render. */
export function nextSlot<T>(instance: Instance, init: () => T): { index: number; slot: T } {
  const index = instance.cursor++;
  if (index >= instance.hooks.length) {
    instance.hooks.push(init());
  }
  return { index, slot: instance.hooks[index] as T };
}

export function depsChanged(previous: readonly unknown[] | undefined, next: readonly unknown[] | undefined): boolean {
  if (previous === undefined || next === undefined) return true;
  if (previous.length !== next.length) return true;
  return next.some((value, i) => !Object.is(value, previous[i]));
}

export function flushEffects(instance: Instance): void {
  const effects = instance.pendingEffects;
  instance.pendingEffects = [];
  for (const effect of effects) effect();
}

export function disposeInstance(instance: Instance): void {
  for (const cleanup of instance.cleanups.values()) cleanup();
  instance.cleanups.clear();
  instance.pendingEffects = [];
}
