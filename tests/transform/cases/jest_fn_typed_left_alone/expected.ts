import { debounce } from '../debounce';
import { mockFn } from '@acme/dframe/testing';

it('debounces', () => {
  const typed = jest.fn<number, [string]>();
  const plain = mockFn(() => 1);
  const run = debounce(plain, 10);
  run();
  expect(typed).not.toHaveBeenCalled();
});
