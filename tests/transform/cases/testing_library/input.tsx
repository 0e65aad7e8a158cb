import { fireEvent, render, screen } from '@testing-library/react';
import { Counter } from '../Counter';

describe('Counter', () => {
  it('calls onChange', () => {
    const onChange = jest.fn();
    render(<Counter onChange={onChange} />);
    fireEvent.click(screen.getByText('+'));
    expect(onChange).toHaveBeenCalledWith(1);
  });
});
