/** @acme/dframe/testing: render DFrame components in tests without a DOM. */
import { createRoot, type HostChild, type HostNode, type Root } from './renderer';
import type { ChangeTarget, Node, SyntheticEvent } from './types';

export type { HostNode } from './renderer';

export type TextMatcher = string | RegExp;

export interface RenderResult {
  readonly container: HostNode;
  rerender(node: Node): void;
  unmount(): void;
}

const mounted = new Set<Root>();

export const textContent = (node: HostChild): string =>
  typeof node === 'string' ? node : node.children.map(textContent).join('');

export function render(node: Node): RenderResult {
  const root = createRoot();
  mounted.add(root);
  root.render(node);
  return {
    container: root.container,
    rerender: (next) => root.render(next),
    unmount: () => {
      root.unmount();
      mounted.delete(root);
    },
  };
}

export function cleanup(): void {
  for (const root of mounted) root.unmount();
  mounted.clear();
}

const flushAll = () => mounted.forEach((root) => root.flush());

function allNodes(): HostNode[] {
  const out: HostNode[] = [];
  const walk = (node: HostNode) => {
    out.push(node);
    for (const child of node.children) if (typeof child !== 'string') walk(child);
  };
  for (const root of mounted) root.container.children.forEach((c) => typeof c !== 'string' && walk(c));
  return out;
}

function matches(text: string, matcher: TextMatcher): boolean {
  return typeof matcher === 'string' ? text.trim() === matcher : matcher.test(text);
}

const ROLE_TAGS: Record<string, readonly string[]> = {
  button: ['button'],
  heading: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'],
  list: ['ul', 'ol'],
  listitem: ['li'],
  textbox: ['input', 'textarea'],
  table: ['table'],
  row: ['tr'],
  link: ['a'],
  form: ['form'],
};

function roleOf(node: HostNode): string | undefined {
  if (typeof node.props.role === 'string') return node.props.role;
  if (node.tag === 'input' && node.props.type === 'checkbox') return 'checkbox';
  return Object.keys(ROLE_TAGS).find((role) => ROLE_TAGS[role].includes(node.tag));
}

function single(found: HostNode[], description: string): HostNode {
  if (found.length === 0) throw new Error(`Unable to find an element ${description}`);
  if (found.length > 1) throw new Error(`Found ${found.length} elements ${description}; use a getAllBy* query`);
  return found[0];
}

function allByText(matcher: TextMatcher): HostNode[] {
  // The deepest node whose text matches: skip nodes with a matching child element.
  return allNodes().filter(
    (node) =>
      matches(textContent(node), matcher) &&
      !node.children.some((child) => typeof child !== 'string' && matches(textContent(child), matcher)),
  );
}

function allByRole(role: string, options: { name?: TextMatcher } = {}): HostNode[] {
  return allNodes().filter((node) => {
    if (roleOf(node) !== role) return false;
    if (options.name === undefined) return true;
    const label = typeof node.props['aria-label'] === 'string' ? node.props['aria-label'] : textContent(node);
    return matches(label, options.name);
  });
}

export const screen = {
  getByText: (m: TextMatcher) => single(allByText(m), `with text ${String(m)}`),
  getAllByText: (m: TextMatcher) => allByText(m),
  queryByText: (m: TextMatcher): HostNode | null => allByText(m)[0] ?? null,
  findByText: (m: TextMatcher) => waitFor(() => single(allByText(m), `with text ${String(m)}`)),
  getByRole: (role: string, options?: { name?: TextMatcher }) => single(allByRole(role, options), `with role ${role}`),
  getAllByRole: (role: string, options?: { name?: TextMatcher }) => allByRole(role, options),
  queryByRole: (role: string, options?: { name?: TextMatcher }): HostNode | null => allByRole(role, options)[0] ?? null,
  getByLabelText: (m: TextMatcher) => single(allByLabel(m), `with label ${String(m)}`),
  queryByLabelText: (m: TextMatcher): HostNode | null => allByLabel(m)[0] ?? null,
  getByTestId: (id: string) => single(allNodes().filter((n) => n.props['data-testid'] === id), `with test id ${id}`),
};

/** Nodes labelled by `aria-label`, or the first field inside a matching `<label>`. */
function allByLabel(matcher: TextMatcher): HostNode[] {
  const labelled = allNodes().filter((n) => typeof n.props['aria-label'] === 'string' && matches(n.props['aria-label'], matcher));
  const wrapped = allNodes()
    .filter((n) => n.tag === 'label' && matches(textContent(n), matcher))
    .flatMap((label) => label.children.filter((c): c is HostNode => typeof c !== 'string' && ['input', 'textarea', 'select'].includes(c.tag)).slice(0, 1));
  return [...labelled, ...wrapped];
}

function dispatch(node: HostNode, type: string, target: ChangeTarget): boolean {
  const event: SyntheticEvent<ChangeTarget> = {
    type,
    target,
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
  const handlerName = `on${type[0].toUpperCase()}${type.slice(1)}`;
  for (let current: HostNode | null = node; current !== null; current = current.parent) {
    const handler = current.props[handlerName];
    if (typeof handler === 'function') handler(event);
  }
  flushAll();
  return !event.defaultPrevented;
}

export const fireEvent = {
  click: (node: HostNode) => dispatch(node, 'click', { value: String(node.props.value ?? '') }),
  submit: (node: HostNode) => dispatch(node, 'submit', { value: '' }),
  change: (node: HostNode, init: { target: ChangeTarget }) => {
    node.props.value = init.target.value;
    return dispatch(node, 'change', init.target);
  },
};

export async function waitFor<T>(callback: () => T, options: { timeout?: number; interval?: number } = {}): Promise<T> {
  const { timeout = 1000, interval = 10 } = options;
  const deadline = Date.now() + timeout;
  for (;;) {
    flushAll();
    try {
      return callback();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  }
}

/** A `describe` block for one component that unmounts everything after each test. */
export function describeComponent(name: string, suite: () => void): void {
  describe(`<${name} />`, () => {
    afterEach(cleanup);
    suite();
  });
}

/** A mock function recording its calls: the framework's replacement for `jest.fn()`. */
export interface MockFn<A extends unknown[] = any[], R = any> {
  (...args: A): R;
  readonly mock: { readonly calls: A[]; readonly results: Array<{ type: 'return' | 'throw'; value: unknown }> };
  mockReturnValue(value: R): MockFn<A, R>;
  mockImplementation(impl: (...args: A) => R): MockFn<A, R>;
  mockClear(): MockFn<A, R>;
}

export function mockFn<A extends unknown[] = any[], R = any>(impl?: (...args: A) => R): MockFn<A, R> {
  let current = impl;
  const calls: A[] = [];
  const results: Array<{ type: 'return' | 'throw'; value: unknown }> = [];
  const fn = ((...args: A): R => {
    calls.push(args);
    try {
      const value = current ? current(...args) : (undefined as R);
      results.push({ type: 'return', value });
      return value;
    } catch (error) {
      results.push({ type: 'throw', value: error });
      throw error;
    }
  }) as MockFn<A, R>;
  Object.defineProperty(fn, 'mock', { value: { calls, results } });
  fn.mockReturnValue = (value: R) => {
    current = () => value;
    return fn;
  };
  fn.mockImplementation = (next: (...args: A) => R) => {
    current = next;
    return fn;
  };
  fn.mockClear = () => {
    calls.length = 0;
    results.length = 0;
    return fn;
  };
  // Jest's matchers (toHaveBeenCalledWith...) recognise a mock by these two markers.
  Object.defineProperty(fn, '_isMockFunction', { value: true });
  Object.defineProperty(fn, 'getMockName', { value: () => 'mockFn' });
  return fn;
}
