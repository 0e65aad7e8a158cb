import { createContext, useContext } from './context';
import { DefaultFallback, ErrorBoundary, withErrorBoundary } from './ErrorBoundary';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from './hooks';
import { createElement, Fragment, h } from './jsx';
import { createRoot } from './renderer';
import type * as T from './types';

export { createContext, useContext } from './context';
export { DefaultFallback, ErrorBoundary, withErrorBoundary } from './ErrorBoundary';
export type { ErrorBoundaryProps, FallbackProps } from './ErrorBoundary';
export { useCallback, useEffect, useMemo, useReducer, useRef, useState } from './hooks';
export { createElement, Fragment, h } from './jsx';
export { createRoot } from './renderer';
export type { HostNode, Root } from './renderer';
export type {
  ChangeEvent,
  Component,
  Context,
  DependencyList,
  Dispatch,
  EffectCallback,
  FC,
  Node,
  PropsWithChildren,
  Reducer,
  RefObject,
  SetStateAction,
  SyntheticEvent,
} from './types';

export const version = '1.4.0';

/**
 * The DFrame namespace object. Application code is written against it:
 * `DFrame.useState`, `DFrame.ErrorBoundary`, `DFrame.FC<Props>`.
 */
export const DFrame = {
  version,
  h,
  createElement,
  Fragment,
  createRoot,
  useState,
  useEffect,
  useReducer,
  useRef,
  useMemo,
  useCallback,
  createContext,
  useContext,
  ErrorBoundary,
  DefaultFallback,
  withErrorBoundary,
} as const;

// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace DFrame {
  type FC<P = {}> = T.FC<P>;
  type Component<P = {}> = T.Component<P>;
  type Node = T.Node;
  type Element = T.Element<any>;
  type Context<V> = T.Context<V>;
  type Dispatch<A> = T.Dispatch<A>;
  type SetStateAction<S> = T.SetStateAction<S>;
  type Reducer<S, A> = T.Reducer<S, A>;
  type RefObject<V> = T.RefObject<V>;
  type ChangeEvent = T.ChangeEvent;
  type SyntheticEvent<V = unknown> = T.SyntheticEvent<V>;
  type PropsWithChildren<P> = T.PropsWithChildren<P>;
}

export default DFrame;
