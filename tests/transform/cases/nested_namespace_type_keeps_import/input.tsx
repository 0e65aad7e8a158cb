import * as React from 'react';

// `React.JSX.Element` names React through a nested path (`React.JSX`): the import stays.
export function Panel({ title }: { title: string }): React.JSX.Element {
  const [open, setOpen] = React.useState(false);
  return <section onClick={() => setOpen(!open)}>{title}</section>;
}
