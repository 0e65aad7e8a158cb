import { debounce } from '../debounce';

describe('debounce', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('calls once after the quiet period with the last arguments', () => {
    const spy = jest.fn();
    const d = debounce(spy, 100);
    d(1);
    d(2);
    d(3);
    expect(spy).not.toHaveBeenCalled();
    jest.advanceTimersByTime(100);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy).toHaveBeenCalledWith(3);
  });

  it('supports leading calls', () => {
    const spy = jest.fn();
    const d = debounce(spy, 50, { leading: true });
    d('a');
    d('b');
    expect(spy).toHaveBeenCalledWith('a');
    jest.advanceTimersByTime(50);
    expect(spy).toHaveBeenLastCalledWith('b');
  });

  it('can be cancelled and flushed', () => {
    const spy = jest.fn();
    const d = debounce(spy, 50);
    d('x');
    d.cancel();
    jest.runAllTimers();
    expect(spy).not.toHaveBeenCalled();
    d('y');
    d.flush();
    expect(spy).toHaveBeenCalledWith('y');
  });
});
