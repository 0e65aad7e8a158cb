/**
 * Core types shared by every part of DFrame.
 *
 * A DFrame component is a plain function from props to a `DFrame.Node`.
 * There are no class components: state lives in hooks.
 */

export type Key = string | number;

export type Primitive = string | number | boolean | null | undefined;

export interface Element<P = Props> {
  readonly type: string | FC<P>;
  readonly props: P;
  readonly key: Key | null;
}

export type Node = Element<any> | Primitive | readonly Node[];

export type Props = Record<string, unknown>;

export type PropsWithChildren<P> = P & { children?: Node };

export interface FC<P = {}> {
  (props: PropsWithChildren<P>): Node;
  displayName?: string;
}

/** Alias kept for code written against DFrame 1.0. */
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
