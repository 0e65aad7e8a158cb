import { currentInstance, depsChanged, nextSlot } from './runtime';
import type {
  DependencyList,
  Dispatch,
  EffectCallback,
  Reducer,
  RefObject,
  SetStateAction,
} from './types';

interface StateSlot<S> {
  value: S;
  setter: Dispatch<SetStateAction<S>>;
}

export function useState<S>(initial: S | (() => S)): [S, Dispatch<SetStateAction<S>>];
export function useState<S = undefined>(): [S | undefined, Dispatch<SetStateAction<S | undefined>>];
export function useState<S>(initial?: S | (() => S)): [S | undefined, Dispatch<SetStateAction<S | undefined>>] {
  const instance = currentInstance('useState');
  const { slot } = nextSlot<StateSlot<S | undefined>>(instance, () => {
    const created: StateSlot<S | undefined> = {
      value: typeof initial === 'function' ? (initial as () => S)() : initial,
      setter: (action) => {
        const next =
          typeof action === 'function'
            ? (action as (previous: S | undefined) => S | undefined)(created.value)
            : action;
        if (!Object.is(next, created.value)) {
          created.value = next;
          instance.requestRender();
        }
      },
    };
    return created;
  });
  return [slot.value, slot.setter];
}

export function useReducer<S>(reducer: (state: S) => S, initialState: S): [S, () => void];
export function useReducer<S, A>(reducer: Reducer<S, A>, initialState: S): [S, Dispatch<A>];
export function useReducer<S, A, I>(reducer: Reducer<S, A>, initialArg: I, init: (arg: I) => S): [S, Dispatch<A>];
export function useReducer<S, A, I>(
  reducer: Reducer<S, A>,
  initialArg: I | S,
  init?: (arg: I) => S,
): [S, Dispatch<A>] {
  const [state, setState] = useState<S>(() => (init ? init(initialArg as I) : (initialArg as S)));
  const dispatch = useCallback((action: A) => setState((previous) => reducer(previous, action)), [reducer]);
  return [state, dispatch];
}

interface EffectSlot {
  deps: DependencyList | undefined;
}

export function useEffect(effect: EffectCallback, deps?: DependencyList): void {
  const instance = currentInstance('useEffect');
  let firstRun = false;
  const { index, slot } = nextSlot<EffectSlot>(instance, () => {
    firstRun = true;
    return { deps };
  });
  if (!firstRun && !depsChanged(slot.deps, deps)) return;
  slot.deps = deps;
  instance.pendingEffects.push(() => {
    instance.cleanups.get(index)?.();
    instance.cleanups.delete(index);
    const cleanup = effect();
    if (typeof cleanup === 'function') instance.cleanups.set(index, cleanup);
  });
}

export function useRef<T>(initial: T): RefObject<T>;
export function useRef<T>(initial: T | null): RefObject<T | null>;
export function useRef<T = undefined>(): RefObject<T | undefined>;
export function useRef<T>(initial?: T): RefObject<T | undefined> {
  const instance = currentInstance('useRef');
  return nextSlot<RefObject<T | undefined>>(instance, () => ({ current: initial })).slot;
}

interface MemoSlot<T> {
  value: T;
  deps: DependencyList;
}

export function useMemo<T>(factory: () => T, deps: DependencyList): T {
  const instance = currentInstance('useMemo');
  const { slot } = nextSlot<MemoSlot<T> | null>(instance, () => null);
  if (slot !== null && !depsChanged(slot.deps, deps)) {
    return slot.value;
  }
  const fresh: MemoSlot<T> = { value: factory(), deps };
  instance.hooks[instance.cursor - 1] = fresh;
  return fresh.value;
}

export function useCallback<F extends (...args: never[]) => unknown>(callback: F, deps: DependencyList): F {
  return useMemo(() => callback, deps);
}
