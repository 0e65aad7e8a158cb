import { renderHook, act } from '@testing-library/react';
import { useCounter } from '../useCounter';

it('counts', () => {
  const onChange = jest.fn((n: number) => n);
  const { result } = renderHook(() => useCounter(onChange));
  act(() => result.current.increment());
  expect(onChange).toHaveBeenCalled();
});
