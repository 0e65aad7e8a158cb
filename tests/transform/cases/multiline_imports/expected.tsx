import {
  Component,
} from 'react';
import { DFrame } from '@acme/dframe';

export function Panel({ title, children }: { title: string; children: DFrame.Node }) {
  const [open, setOpen] = DFrame.useState(true);
  const toggle = DFrame.useCallback(() => setOpen((o) => !o), []);
  DFrame.useEffect(() => undefined, []);
  return (
    <section>
      <h2 onClick={toggle}>{title}</h2>
      {open ? children : null}
    </section>
  );
}

export class Legacy extends Component {}
