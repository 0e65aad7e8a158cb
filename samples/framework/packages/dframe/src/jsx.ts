import type { Element, FC, Key, Node } from './types';

/** Marker used by `<DFrame.Fragment>`: children are rendered without a wrapper. */
export const Fragment: FC = (props) => props.children ?? null;
Fragment.displayName = 'Fragment';

/**
 * JSX factory. Apps compile TSX with `"jsxFactory": "DFrame.h"` and
 * `"jsxFragmentFactory": "DFrame.Fragment"`.
 */
export function h<P>(
  type: string | FC<P>,
  props: (P & { key?: Key }) | null,
  ...children: Node[]
): Element<P> {
  const { key = null, ...rest } = (props ?? {}) as P & { key?: Key };
  const flat = children.length === 1 ? children[0] : children;
  const finalProps = (children.length > 0 ? { ...rest, children: flat } : rest) as unknown as P;
  return { type, props: finalProps, key };
}

export const createElement = h;

export function isElement(value: unknown): value is Element<any> {
  return typeof value === 'object' && value !== null && 'type' in value && 'props' in value;
}

type HostProps = {
  key?: Key;
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
  children?: Node;
  'data-testid'?: string;
  'aria-label'?: string;
  'aria-busy'?: boolean;
  onClick?: (event: import('./types').SyntheticEvent) => void;
  onChange?: (event: import('./types').ChangeEvent) => void;
  onSubmit?: (event: import('./types').SyntheticEvent) => void;
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    type Element = import('./types').Element<any>;
    type ElementType = string | ((props: any) => import('./types').Node);
    interface ElementChildrenAttribute {
      children: {};
    }
    interface IntrinsicAttributes {
      key?: Key;
    }
    interface IntrinsicElements {
      [tag: string]: HostProps;
    }
  }
}
