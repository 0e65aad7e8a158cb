import { fireEvent, render, screen, mockFn } from '@acme/dframe/testing';
import { Counter } from '../Counter';
import { DFrame } from '@acme/dframe';

describe('Counter', () => {
  it('calls onChange', () => {
    const onChange = mockFn();
    render(<Counter onChange={onChange} />);
    fireEvent.click(screen.getByText('+'));
    expect(onChange).toHaveBeenCalledWith(1);
  });
});
