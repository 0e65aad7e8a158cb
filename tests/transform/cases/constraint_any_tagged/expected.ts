export type Dict = Record<string, any>;

export function keys(value: Dict): string[] {
  const copy: any = { ...value };
  return Object.keys(copy);
}

function internal(x: any) {
  return x;
}

export const id = internal;
