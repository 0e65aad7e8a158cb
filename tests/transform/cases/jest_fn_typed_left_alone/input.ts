import { debounce } from '../debounce';

it('debounces', () => {
  const typed = jest.fn<number, [string]>();
  const plain = jest.fn(() => 1);
  const run = debounce(plain, 10);
  run();
  expect(typed).not.toHaveBeenCalled();
});
