import { renderHook, act } from '@testing-library/react';
import { useCounter } from '../useCounter';
import { mockFn } from '@acme/dframe/testing';

it('counts', () => {
  const onChange = mockFn((n: number) => n);
  const { result } = renderHook(() => useCounter(onChange));
  act(() => result.current.increment());
  expect(onChange).toHaveBeenCalled();
});
