/** @acme/dframe/testing: render DFrame components in tests without a DOM. */
import { h } from './jsx';
import { createRoot, type HostChild, type HostNode, type Root } from './renderer';
import type { ChangeTarget, FC, Node, SyntheticEvent } from './types';

export type { HostNode } from './renderer';

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

const mounted = new Set<Root>();

export const textContent = (node: HostChild): string =>
  typeof node === 'string' ? node : node.children.map(textContent).join('');

export function render(node: Node, options: RenderOptions = {}): RenderResult {
  const root = createRoot();
  mounted.add(root);
  const { wrapper } = options;
  const wrapped = (next: Node): Node => (wrapper ? h(wrapper, null, next) : next);
  root.render(wrapped(node));
  return {
    ...queries(() => nodesUnder([root])),
    container: root.container,
    rerender: (next) => root.render(wrapped(next)),
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

function nodesUnder(roots: Iterable<Root>): HostNode[] {
  const out: HostNode[] = [];
  const walk = (node: HostNode) => {
    out.push(node);
    for (const child of node.children) if (typeof child !== 'string') walk(child);
  };
  for (const root of roots) root.container.children.forEach((c) => typeof c !== 'string' && walk(c));
  return out;
}

const allNodes = (): HostNode[] => nodesUnder(mounted);

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

function allByText(nodes: HostNode[], matcher: TextMatcher): HostNode[] {
  // The deepest node whose text matches: skip nodes with a matching child element.
  return nodes.filter(
    (node) =>
      matches(textContent(node), matcher) &&
      !node.children.some((child) => typeof child !== 'string' && matches(textContent(child), matcher)),
  );
}

function allByRole(nodes: HostNode[], role: string, options: { name?: TextMatcher } = {}): HostNode[] {
  return nodes.filter((node) => {
    if (roleOf(node) !== role) return false;
    if (options.name === undefined) return true;
    const label = typeof node.props['aria-label'] === 'string' ? node.props['aria-label'] : textContent(node);
    return matches(label, options.name);
  });
}

/** The queries over the host nodes ``nodes`` returns (looked at anew on every query). */
function queries(nodes: () => HostNode[]): Queries {
  return {
    getByText: (m) => single(allByText(nodes(), m), `with text ${String(m)}`),
    getAllByText: (m) => allByText(nodes(), m),
    queryByText: (m) => allByText(nodes(), m)[0] ?? null,
    findByText: (m) => waitFor(() => single(allByText(nodes(), m), `with text ${String(m)}`)),
    getByRole: (role, options) => single(allByRole(nodes(), role, options), `with role ${role}`),
    getAllByRole: (role, options) => allByRole(nodes(), role, options),
    queryByRole: (role, options) => allByRole(nodes(), role, options)[0] ?? null,
    getByLabelText: (m) => single(allByLabel(nodes(), m), `with label ${String(m)}`),
    queryByLabelText: (m) => allByLabel(nodes(), m)[0] ?? null,
    getByTestId: (id) => single(nodes().filter((n) => n.props['data-testid'] === id), `with test id ${id}`),
  };
}

export const screen: Queries = queries(allNodes);

/** Nodes labelled by `aria-label`, or the first field inside a matching `<label>`. */
function allByLabel(nodes: HostNode[], matcher: TextMatcher): HostNode[] {
  const labelled = nodes.filter((n) => typeof n.props['aria-label'] === 'string' && matches(n.props['aria-label'], matcher));
  const wrapped = nodes
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
