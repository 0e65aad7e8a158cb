import { Row } from './Row';
import { DFrame } from '@acme/dframe';

export default function Table({ rows }: { rows: string[] }) {
  const [selected, setSelected] = DFrame.useState<string | null>(null);
  const sorted = DFrame.useMemo(() => [...rows].sort(), [rows]);
  const onPick = DFrame.useCallback((row: string) => setSelected(row), []);
  return (
    <table>
      {sorted.map((row) => (
        <Row key={row} value={row} active={row === selected} onPick={onPick} />
      ))}
    </table>
  );
}
