import { useState } from 'react';

// A local object that happens to be called DFrame: React hooks must not be renamed into it.
const DFrame = { version: 'local' };

export function useVersion() {
  const [version] = useState(DFrame.version);
  return version;
}
