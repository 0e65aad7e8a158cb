import { currentInstance } from './runtime';
import type { Context, FC, Node } from './types';

/**
 * Context values are provided during render. The renderer pushes a value when
 * it enters a Provider and pops it when it leaves, so lookups are a stack peek.
 */
const stacks = new Map<symbol, unknown[]>();

export const PROVIDER_CONTEXT = Symbol('dframe.provider');

export interface ProviderComponent<T> extends FC<{ value: T }> {
  [PROVIDER_CONTEXT]: Context<T>;
}

export function createContext<T>(defaultValue: T, displayName?: string): Context<T> {
  const id = Symbol(displayName ?? 'DFrame.Context');
  const Provider = ((props: { value: T; children?: Node }) => props.children ?? null) as ProviderComponent<T>;
  const context: Context<T> = { id, defaultValue, Provider, displayName };
  Provider[PROVIDER_CONTEXT] = context;
  Provider.displayName = `${displayName ?? 'Context'}.Provider`;
  return context;
}

export function pushContext<T>(context: Context<T>, value: T): void {
  const stack = stacks.get(context.id) ?? [];
  stack.push(value);
  stacks.set(context.id, stack);
}

export function popContext<T>(context: Context<T>): void {
  stacks.get(context.id)?.pop();
}

export function isProvider(type: unknown): type is ProviderComponent<unknown> {
  return typeof type === 'function' && PROVIDER_CONTEXT in type;
}

export function useContext<T>(context: Context<T>): T {
  currentInstance('useContext');
  const stack = stacks.get(context.id);
  if (!stack || stack.length === 0) return context.defaultValue;
  return stack[stack.length - 1] as T;
}
