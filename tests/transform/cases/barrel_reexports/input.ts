// Barrel file: components import hooks from '../hooks' only.
export { useState, useEffect as useMountEffect } from 'react';
export { Component } from 'react';
export * from 'react';
export { useUsers } from './useUsers';
