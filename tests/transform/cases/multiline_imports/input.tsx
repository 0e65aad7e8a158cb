import {
  useCallback,
  useEffect,
  useState,
  type ReactNode,
  Component,
} from 'react';

export function Panel({ title, children }: { title: string; children: ReactNode }) {
  const [open, setOpen] = useState(true);
  const toggle = useCallback(() => setOpen((o) => !o), []);
  useEffect(() => undefined, []);
  return (
    <section>
      <h2 onClick={toggle}>{title}</h2>
      {open ? children : null}
    </section>
  );
}

export class Legacy extends Component {}
