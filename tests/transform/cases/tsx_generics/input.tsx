import { useState } from 'react';

interface Item {
  id: string;
  label: string;
}

const identity = <T,>(value: T): T => value;

function List<T extends { id: string }>({ items, render }: { items: T[]; render: (item: T) => string }) {
  return <ul>{items.map((item) => <li key={item.id}>{render(item)}</li>)}</ul>;
}

export function Picker({ initial }: { initial: Item[] }) {
  const [items] = useState<Item[]>(identity(initial));
  return <List<Item> items={items} render={(item) => item.label} />;
}
