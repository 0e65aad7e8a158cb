import { isProvider, popContext, pushContext, PROVIDER_CONTEXT } from './context';
import { isElement } from './jsx';
import { createInstance, disposeInstance, flushEffects, renderWith, type Instance } from './runtime';
import type { Element, FC, Node, Props } from './types';

/** The renderer produces a plain host tree; adapters map it to the DOM or to test queries. */
export interface HostNode {
  tag: string;
  props: Props;
  children: HostChild[];
  parent: HostNode | null;
}

export type HostChild = HostNode | string;

export const BOUNDARY = Symbol('dframe.boundary');

export interface BoundaryProps {
  fallback: Node | ((error: Error, reset: () => void) => Node);
  onError?: (error: Error, componentPath: string) => void;
}

export interface BoundaryComponent extends FC<BoundaryProps> {
  [BOUNDARY]: true;
}

export interface Root {
  readonly container: HostNode;
  render(node: Node): void;
  flush(): void;
  unmount(): void;
}

const MAX_PASSES = 25;

const isNodeList = (node: Node): node is readonly Node[] => Array.isArray(node);
const isBoundary = (type: FC<any>): type is BoundaryComponent => BOUNDARY in type;

export function createRoot(container: HostNode = { tag: 'root', props: {}, children: [], parent: null }): Root {
  const instances = new Map<string, Instance>();
  const boundaryErrors = new Map<string, Error>();
  let tree: Node = null;
  let dirty = false;
  let scheduled = false;
  let seen = new Set<string>();

  function requestRender(): void {
    dirty = true;
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(flush);
    }
  }

  function resolve(node: Node, path: string, parent: HostNode): HostChild[] {
    if (node === null || node === undefined || typeof node === 'boolean') return [];
    if (typeof node === 'string' || typeof node === 'number') return [String(node)];
    if (isNodeList(node)) {
      return node.flatMap((child, i) => {
        const key = isElement(child) && child.key !== null ? `k${child.key}` : `i${i}`;
        return resolve(child, `${path}.${key}`, parent);
      });
    }
    const element = node as Element<any>;
    const { children, ...rest } = element.props as Props & { children?: Node };
    if (typeof element.type === 'string') {
      const host: HostNode = { tag: element.type, props: rest, children: [], parent };
      host.children = resolve(children, `${path}/${element.type}`, host);
      return [host];
    }
    const type = element.type;
    if (isProvider(type)) {
      const context = type[PROVIDER_CONTEXT];
      pushContext(context, element.props.value);
      try {
        return resolve(children, `${path}/Provider`, parent);
      } finally {
        popContext(context);
      }
    }
    const componentPath = `${path}/${type.displayName ?? (type.name || 'Anonymous')}`;
    if (isBoundary(type)) {
      return resolveBoundary(element.props as BoundaryProps & { children?: Node }, componentPath, parent);
    }
    seen.add(componentPath);
    let instance = instances.get(componentPath);
    if (!instance) {
      instance = createInstance(componentPath, requestRender);
      instances.set(componentPath, instance);
    }
    const owner = instance;
    const output = renderWith(owner, () => type(element.props));
    return resolve(output, componentPath, parent);
  }

  function resolveBoundary(props: BoundaryProps & { children?: Node }, path: string, parent: HostNode): HostChild[] {
    const reset = () => {
      boundaryErrors.delete(path);
      requestRender();
    };
    const fallback = (error: Error): Node =>
      typeof props.fallback === 'function' ? props.fallback(error, reset) : props.fallback;
    const failed = boundaryErrors.get(path);
    if (failed) return resolve(fallback(failed), `${path}/fallback`, parent);
    try {
      return resolve(props.children, `${path}/content`, parent);
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      boundaryErrors.set(path, error);
      props.onError?.(error, path);
      return resolve(fallback(error), `${path}/fallback`, parent);
    }
  }

  function commit(): void {
    seen = new Set();
    container.children = resolve(tree, '', container);
    for (const [path, instance] of instances) {
      if (!seen.has(path)) {
        disposeInstance(instance);
        instances.delete(path);
      }
    }
    for (const instance of instances.values()) flushEffects(instance);
  }

  function flush(): void {
    scheduled = false;
    let passes = 0;
    while (dirty) {
      if (++passes > MAX_PASSES) throw new Error('DFrame: too many re-renders (state updated on every render?)');
      dirty = false;
      commit();
    }
  }

  return {
    container,
    render(node: Node) {
      tree = node;
      dirty = true;
      flush();
    },
    flush,
    unmount() {
      for (const instance of instances.values()) disposeInstance(instance);
      instances.clear();
      boundaryErrors.clear();
      tree = null;
      container.children = [];
    },
  };
}
