import { render, screen } from '@testing-library/react';
import { Greeting } from '../Greeting';

// DFrame's testing API has no DOM: `.textContent` of a query result keeps Testing Library.
test('greets by name', () => {
  render(<Greeting name="Ada" />);
  expect(screen.getByRole('heading').textContent).toBe('Hello, Ada');
});

const textContent = (label: string) => label; // a local helper of the same name is no DOM read
textContent('x');
