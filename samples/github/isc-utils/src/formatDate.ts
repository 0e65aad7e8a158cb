const pad = (n: number, width = 2) => String(n).padStart(width, '0');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Formats a date with a tiny token language:
 * YYYY, MM, DD, HH, mm, ss and MMM (short month name). Uses UTC.
 */
export function formatDate(input: Date | number | string, pattern = 'YYYY-MM-DD'): string {
  const date = input instanceof Date ? input : new Date(input);
  if (Number.isNaN(date.getTime())) {
    throw new TypeError(`Invalid date: ${String(input)}`);
  }
  const tokens: Record<string, string> = {
    YYYY: String(date.getUTCFullYear()),
    MMM: MONTHS[date.getUTCMonth()],
    MM: pad(date.getUTCMonth() + 1),
    DD: pad(date.getUTCDate()),
    HH: pad(date.getUTCHours()),
    mm: pad(date.getUTCMinutes()),
    ss: pad(date.getUTCSeconds()),
  };
  return pattern.replace(/YYYY|MMM|MM|DD|HH|mm|ss/g, (token) => tokens[token]);
}

export function relativeTime(from: Date, now: Date = new Date()): string {
  const seconds = Math.round((now.getTime() - from.getTime()) / 1000);
  const abs = Math.abs(seconds);
  const units: Array<[number, string]> = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  for (const [size, name] of units) {
    if (abs >= size || size === 1) {
      const n = Math.floor(abs / size);
      const label = `${n} ${name}${n === 1 ? '' : 's'}`;
      return seconds >= 0 ? `${label} ago` : `in ${label}`;
    }
  }
  return 'just now';
}
