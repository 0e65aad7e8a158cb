import { DFrame } from '@acme/dframe';

export function Pair({ a, b }: { a: string; b: string }) {
  return (
    <DFrame.Fragment>
      <DFrame.Fragment>{a}</DFrame.Fragment>
      {b}
    </DFrame.Fragment>
  );
}
