import { formatDate, relativeTime } from '../formatDate';

test('formats ISO-like dates in UTC', () => {
  expect(formatDate(Date.UTC(2024, 1, 29, 13, 5, 9), 'YYYY-MM-DD HH:mm:ss')).toBe('2024-02-29 13:05:09');
});

test('supports short month names', () => {
  expect(formatDate('2023-12-01T00:00:00Z', 'DD MMM YYYY')).toBe('01 Dec 2023');
});

test('rejects invalid input', () => {
  expect(() => formatDate('not a date')).toThrow(TypeError);
});

test('relative time in both directions', () => {
  const now = new Date('2024-01-01T12:00:00Z');
  expect(relativeTime(new Date('2024-01-01T11:00:00Z'), now)).toBe('1 hour ago');
  expect(relativeTime(new Date('2024-01-03T12:00:00Z'), now)).toBe('in 2 days');
});
