/**
 * DFrame: Acme's component and hooks framework for internal UIs (@acme/dframe 1.4).
 *
 * The declarations of the module `@acme/dframe` (this file's path under conf/framework is
 * the module name), used to type-check code written for (or rewritten to) DFrame. The
 * implementation is samples/framework/packages/dframe; keep both in step.
 */
export type Key = string | number;
export type Primitive = string | number | boolean | null | undefined;
export type Props = Record<string, unknown>;

export interface Element<P = Props> {
  readonly type: string | FC<P>;
  readonly props: P;
  readonly key: Key | null;
}

/** Anything a component may render. */
export type Node = Element<any> | Primitive | readonly Node[];
export type PropsWithChildren<P> = P & { children?: Node };

/** A function component: props in, a Node out. DFrame has no class components. */
export interface FC<P = {}> {
  (props: PropsWithChildren<P>): Node;
  displayName?: string;
}
export type Component<P = {}> = FC<P>;

export type SetStateAction<S> = S | ((previous: S) => S);
export type Dispatch<A> = (action: A) => void;
export type Reducer<S, A> = (state: S, action: A) => S;
export interface RefObject<T> {
  current: T;
}
export type EffectCleanup = () => void;
export type EffectCallback = () => void | EffectCleanup;
export type DependencyList = readonly unknown[];

export interface Context<T> {
  readonly id: symbol;
  readonly defaultValue: T;
  readonly Provider: FC<{ value: T }>;
  displayName?: string;
}

export interface SyntheticEvent<T = unknown> {
  readonly type: string;
  readonly target: T;
  defaultPrevented: boolean;
  preventDefault(): void;
}
export interface ChangeTarget {
  value: string;
  checked?: boolean;
}
export type ChangeEvent = SyntheticEvent<ChangeTarget>;

export function useState<S>(initial: S | (() => S)): [S, Dispatch<SetStateAction<S>>];
export function useState<S = undefined>(): [S | undefined, Dispatch<SetStateAction<S | undefined>>];
/** A reducer that takes no action (`useReducer((n) => n + 1, 0)`): its dispatch takes none either. */
export function useReducer<S>(reducer: (state: S) => S, initialState: S): [S, () => void];
export function useReducer<S, A>(reducer: Reducer<S, A>, initialState: S): [S, Dispatch<A>];
export function useReducer<S, A, I>(reducer: Reducer<S, A>, initialArg: I, init: (arg: I) => S): [S, Dispatch<A>];
export function useEffect(effect: EffectCallback, deps?: DependencyList): void;
export function useRef<T>(initial: T): RefObject<T>;
/** A ref filled in later (`useRef<HTMLElement>(null)`). */
export function useRef<T>(initial: T | null): RefObject<T | null>;
export function useRef<T = undefined>(): RefObject<T | undefined>;
export function useMemo<T>(factory: () => T, deps: DependencyList): T;
export function useCallback<F extends (...args: never[]) => unknown>(callback: F, deps: DependencyList): F;
export function createContext<T>(defaultValue: T, displayName?: string): Context<T>;
export function useContext<T>(context: Context<T>): T;

export function h<P>(type: string | FC<P>, props: (P & { key?: Key }) | null, ...children: Node[]): Element<P>;
export const createElement: typeof h;
export const Fragment: FC;

export interface HostNode {
  tag: string;
  props: Props;
  children: Array<HostNode | string>;
  parent: HostNode | null;
}
export interface Root {
  readonly container: HostNode;
  render(node: Node): void;
  flush(): void;
  unmount(): void;
}
export function createRoot(container?: HostNode): Root;

export interface ErrorBoundaryProps {
  fallback: Node | ((error: Error, reset: () => void) => Node);
  onError?: (error: Error, componentPath: string) => void;
}
export interface FallbackProps {
  error: Error;
  reset: () => void;
}
/** Catches errors thrown while rendering its children and renders `fallback` instead. */
export const ErrorBoundary: FC<ErrorBoundaryProps>;
export const DefaultFallback: FC<FallbackProps>;
export function withErrorBoundary<P>(wrapped: FC<P>, options?: Partial<ErrorBoundaryProps>): FC<P>;

export const version: string;

/** The namespace object application code is written against: `DFrame.useState`, `DFrame.FC<P>`. */
export const DFrame: {
  readonly version: string;
  readonly h: typeof h;
  readonly createElement: typeof h;
  readonly Fragment: FC;
  readonly createRoot: typeof createRoot;
  readonly useState: typeof useState;
  readonly useEffect: typeof useEffect;
  readonly useReducer: typeof useReducer;
  readonly useRef: typeof useRef;
  readonly useMemo: typeof useMemo;
  readonly useCallback: typeof useCallback;
  readonly createContext: typeof createContext;
  readonly useContext: typeof useContext;
  readonly ErrorBoundary: FC<ErrorBoundaryProps>;
  readonly DefaultFallback: FC<FallbackProps>;
  readonly withErrorBoundary: typeof withErrorBoundary;
};
export namespace DFrame {
  type FC<P = {}> = import('@acme/dframe').FC<P>;
  type Component<P = {}> = import('@acme/dframe').Component<P>;
  type Node = import('@acme/dframe').Node;
  type Element = import('@acme/dframe').Element<any>;
  type Context<V> = import('@acme/dframe').Context<V>;
  type Dispatch<A> = import('@acme/dframe').Dispatch<A>;
  type SetStateAction<S> = import('@acme/dframe').SetStateAction<S>;
  type Reducer<S, A> = import('@acme/dframe').Reducer<S, A>;
  type RefObject<V> = import('@acme/dframe').RefObject<V>;
  type ChangeEvent = import('@acme/dframe').ChangeEvent;
  type SyntheticEvent<V = unknown> = import('@acme/dframe').SyntheticEvent<V>;
  type PropsWithChildren<P> = import('@acme/dframe').PropsWithChildren<P>;
}
export default DFrame;

declare global {
  /** JSX compiles to `DFrame.h` (tsconfig: "jsx": "react", "jsxFactory": "DFrame.h"). */
  namespace JSX {
    type Element = import('@acme/dframe').Element<any>;
    type ElementType = string | ((props: any) => import('@acme/dframe').Node);
    interface ElementChildrenAttribute {
      children: {};
    }
    interface IntrinsicAttributes {
      key?: string | number;
    }
    interface IntrinsicElements {
      [tag: string]: {
        key?: string | number;
        id?: string;
        className?: string;
        style?: Record<string, string | number>;
        role?: string;
        title?: string;
        hidden?: boolean;
        disabled?: boolean;
        type?: string;
        name?: string;
        value?: string | number;
        checked?: boolean;
        placeholder?: string;
        href?: string;
        colSpan?: number;
        children?: import('@acme/dframe').Node;
        'data-testid'?: string;
        'aria-label'?: string;
        'aria-busy'?: boolean;
        onClick?: (event: import('@acme/dframe').SyntheticEvent) => void;
        onChange?: (event: import('@acme/dframe').ChangeEvent) => void;
        onSubmit?: (event: import('@acme/dframe').SyntheticEvent) => void;
        [attribute: string]: unknown;
      };
    }
  }
}
