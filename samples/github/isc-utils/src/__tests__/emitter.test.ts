import { Emitter } from '../emitter';

type Events = { saved: { id: string }; closed: undefined };

describe('Emitter', () => {
  it('delivers typed payloads', () => {
    const bus = new Emitter<Events>();
    const seen: string[] = [];
    bus.on('saved', (e) => seen.push(e.id));
    bus.emit('saved', { id: 'a1' });
    expect(seen).toEqual(['a1']);
  });

  it('once listeners fire a single time', () => {
    const bus = new Emitter<Events>();
    const spy = jest.fn();
    bus.once('closed', spy);
    bus.emit('closed', undefined);
    bus.emit('closed', undefined);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(bus.listenerCount('closed')).toBe(0);
  });

  it('unsubscribe function removes the listener', () => {
    const bus = new Emitter<Events>();
    const off = bus.on('saved', jest.fn());
    off();
    expect(bus.emit('saved', { id: 'x' })).toBe(0);
  });
});
