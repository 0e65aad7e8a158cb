/** @jsx h */
import { h } from './jsx';
import { BOUNDARY, type BoundaryComponent, type BoundaryProps } from './renderer';
import type { FC } from './types';

export type ErrorBoundaryProps = BoundaryProps;

/**
 * Catches errors thrown while rendering its children and renders `fallback`
 * instead. `onError` is the place to call `ONCE.reportError`.
 *
 * The catching itself is done by the renderer, which recognises the marker.
 */
const boundary = ((props) => props.children ?? null) as BoundaryComponent;
boundary[BOUNDARY] = true;
boundary.displayName = 'ErrorBoundary';

export const ErrorBoundary: FC<ErrorBoundaryProps> = boundary;

export interface FallbackProps {
  error: Error;
  reset: () => void;
}

export const DefaultFallback: FC<FallbackProps> = ({ error, reset }) => (
  <div role="alert" className="dframe-error">
    <p>Something went wrong: {error.message}</p>
    <button type="button" onClick={reset}>
      Try again
    </button>
  </div>
);
DefaultFallback.displayName = 'DefaultFallback';

/** Wraps a component in an `ErrorBoundary`, keeping its props type. */
export function withErrorBoundary<P>(Wrapped: FC<P>, options: Partial<ErrorBoundaryProps> = {}): FC<P> {
  const fallback = options.fallback ?? ((error: Error, reset: () => void) => <DefaultFallback error={error} reset={reset} />);
  const WithBoundary: FC<P> = (props) => (
    <ErrorBoundary fallback={fallback} onError={options.onError}>
      {h(Wrapped, props)}
    </ErrorBoundary>
  );
  WithBoundary.displayName = `withErrorBoundary(${Wrapped.displayName ?? Wrapped.name})`;
  return WithBoundary;
}
