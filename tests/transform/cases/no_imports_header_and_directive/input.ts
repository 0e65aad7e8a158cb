// Copyright (c) the authors. MIT license.

'use strict';

/** Loads the feature flags. */
export async function flags(): Promise<Record<string, boolean>> {
  return await (await fetch('/api/flags')).json();
}
