import React, { Fragment } from 'react';

export function Pair({ a, b }: { a: string; b: string }) {
  return (
    <React.Fragment>
      <Fragment>{a}</Fragment>
      {b}
    </React.Fragment>
  );
}
