/**
 * @acme/dframe/testing: render DFrame components in tests without a DOM, query the host
 * tree the way a user would, and fire events. Implementation:
 * samples/framework/packages/dframe/src/testing.ts.
 */
import type { FC, HostNode, Node } from '@acme/dframe';

export type { HostNode } from '@acme/dframe';
export type TextMatcher = string | RegExp;

/** Queries over rendered host nodes: `screen`'s over everything mounted, a render's over its own. */
export interface Queries {
  getByText(matcher: TextMatcher): HostNode;
  getAllByText(matcher: TextMatcher): HostNode[];
  queryByText(matcher: TextMatcher): HostNode | null;
  findByText(matcher: TextMatcher): Promise<HostNode>;
  getByRole(role: string, options?: { name?: TextMatcher }): HostNode;
  getAllByRole(role: string, options?: { name?: TextMatcher }): HostNode[];
  queryByRole(role: string, options?: { name?: TextMatcher }): HostNode | null;
  getByLabelText(matcher: TextMatcher): HostNode;
  queryByLabelText(matcher: TextMatcher): HostNode | null;
  getByTestId(id: string): HostNode;
}

export interface RenderOptions {
  /** A component rendered around the node (providers): it gets the node as `children`. */
  wrapper?: FC<{ children?: Node }>;
}

export interface RenderResult extends Queries {
  readonly container: HostNode;
  rerender(node: Node): void;
  unmount(): void;
}

export function render(node: Node, options?: RenderOptions): RenderResult;
export function cleanup(): void;
export function textContent(node: HostNode | string): string;

export const screen: Queries;

export const fireEvent: {
  click(node: HostNode): boolean;
  submit(node: HostNode): boolean;
  change(node: HostNode, init: { target: { value: string; checked?: boolean } }): boolean;
};

export function waitFor<T>(callback: () => T, options?: { timeout?: number; interval?: number }): Promise<T>;

/** A `describe` block for one component that unmounts everything after each test. */
export function describeComponent(name: string, suite: () => void): void;

/** A mock function recording its calls (the framework's `jest.fn`). */
export interface MockFn<A extends unknown[] = any[], R = any> {
  (...args: A): R;
  readonly mock: { readonly calls: A[]; readonly results: Array<{ type: 'return' | 'throw'; value: unknown }> };
  mockReturnValue(value: R): MockFn<A, R>;
  mockImplementation(impl: (...args: A) => R): MockFn<A, R>;
  mockClear(): MockFn<A, R>;
}
export function mockFn<A extends unknown[] = any[], R = any>(impl?: (...args: A) => R): MockFn<A, R>;
