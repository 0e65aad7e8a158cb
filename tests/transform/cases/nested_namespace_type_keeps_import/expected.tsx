import * as React from 'react';
import { DFrame } from '@acme/dframe';

// `React.JSX.Element` names React through a nested path (`React.JSX`): the import stays.
export function Panel({ title }: { title: string }): React.JSX.Element {
  const [open, setOpen] = DFrame.useState(false);
  return <section onClick={() => setOpen(!open)}>{title}</section>;
}
