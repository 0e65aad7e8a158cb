import * as client from './apiClient';
import { ApiError, isApiError, NotFoundError, reportError, setErrorSink, UnauthorizedError, ValidationError } from './errors';
import { addMoney, asOrderId, asUserId, formatMoney, money } from './domain';

export * from './apiClient';
export * from './domain';
export * from './errors';

export const version = '2.1.0';

/**
 * The ONCE namespace object. Services and UIs call `ONCE.apiClient.get<T>(path)`,
 * `ONCE.reportError(error, scope)` and the domain helpers through it.
 */
export const ONCE = {
  version,
  /** Always the currently configured client (see `configure`). */
  get apiClient(): client.ApiClient {
    return client.apiClient;
  },
  configure: client.configure,
  createApiClient: client.createApiClient,
  reportError,
  setErrorSink,
  isApiError,
  errors: { ApiError, NotFoundError, UnauthorizedError, ValidationError },
  money,
  addMoney,
  formatMoney,
  asUserId,
  asOrderId,
};

export default ONCE;
