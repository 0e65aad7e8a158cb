import React from 'react';
import { Row } from './Row';

export default function Table({ rows }: { rows: string[] }) {
  const [selected, setSelected] = React.useState<string | null>(null);
  const sorted = React.useMemo(() => [...rows].sort(), [rows]);
  const onPick = React.useCallback((row: string) => setSelected(row), []);
  return (
    <table>
      {sorted.map((row) => (
        <Row key={row} value={row} active={row === selected} onPick={onPick} />
      ))}
    </table>
  );
}
