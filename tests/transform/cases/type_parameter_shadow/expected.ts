import { DFrame } from '@acme/dframe';

export type Wrapped<P> = DFrame.FC<P>;

export function wrap<FC>(component: FC): FC {
  return component;
}
