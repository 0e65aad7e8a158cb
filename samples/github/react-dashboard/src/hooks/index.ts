// Barrel file: components import hooks from '../hooks' only.
export { useState, useEffect as useMountEffect } from 'react';
export { useUsers } from './useUsers';
export * from './useInterval';
export { useFilters } from '../state/filtersReducer';
