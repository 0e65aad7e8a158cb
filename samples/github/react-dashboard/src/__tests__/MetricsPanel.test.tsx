import '@testing-library/jest-dom';
import { render, screen, waitFor, fireEvent } from '@testing-library/react';
import { MetricsPanel } from '../components/MetricsPanel';
import * as api from '../api/http';

jest.mock('../api/http');
const getMetrics = api.getMetrics as jest.MockedFunction<typeof api.getMetrics>;

describe('MetricsPanel', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    getMetrics.mockReset();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('shows metrics from the API', async () => {
    getMetrics.mockResolvedValue([{ key: 'rps', label: 'Requests/s', value: 1250, trend: 'up' }]);
    render(<MetricsPanel />);
    expect(await screen.findByText('Requests/s')).toBeInTheDocument();
    expect(screen.getByTestId('metric-rps')).toHaveTextContent('1,250');
  });

  it('keeps the last values and shows an alert when a refresh fails', async () => {
    getMetrics
      .mockResolvedValueOnce([{ key: 'p95', label: 'p95 latency', value: 180, unit: 'ms', trend: 'flat' }])
      .mockRejectedValueOnce(new Error('boom'));
    render(<MetricsPanel highlight={['p95']} />);
    await screen.findByText('p95 latency');

    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));

    await waitFor(() => expect(screen.getByRole('alert')).toBeInTheDocument());
    expect(screen.getByTestId('metric-p95')).toHaveClass('metric--highlight');
  });
});
