import type { FC } from 'react';

export type Wrapped<P> = FC<P>;

export function wrap<FC>(component: FC): FC {
  return component;
}
