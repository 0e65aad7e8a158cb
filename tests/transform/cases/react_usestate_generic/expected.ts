import { DFrame } from '@acme/dframe';

export function useSelection<T>() {
  const [selected, setSelected] = DFrame.useState<T | null>(null);
  const [history] = DFrame.useState<Array<T>>([]);
  const count = DFrame.useRef<number>(0);
  return { selected, setSelected, history, count };
}
