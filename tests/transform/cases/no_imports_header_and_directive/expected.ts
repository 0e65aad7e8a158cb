// Copyright (c) the authors. MIT license.

'use strict';
import { ONCE } from '@acme/once';

/** Loads the feature flags. */
export async function flags(): Promise<Record<string, boolean>> {
  return (await ONCE.apiClient.get('/api/flags')).data;
}
