import React, { createContext, useContext, useReducer, type ReactNode } from 'react';
import type { Theme } from '../types';

type ThemeAction = { type: 'toggle' } | { type: 'set'; theme: Theme };

interface ThemeContextValue {
  theme: Theme;
  dispatch: React.Dispatch<ThemeAction>;
}

const ThemeContext = createContext<ThemeContextValue | undefined>(undefined);

function themeReducer(theme: Theme, action: ThemeAction): Theme {
  switch (action.type) {
    case 'toggle':
      return theme === 'light' ? 'dark' : 'light';
    case 'set':
      return action.theme;
  }
}

export function ThemeProvider({ children, initial = 'light' }: { children: ReactNode; initial?: Theme }) {
  const [theme, dispatch] = useReducer(themeReducer, initial);
  return <ThemeContext.Provider value={{ theme, dispatch }}>{children}</ThemeContext.Provider>;
}

export function useTheme(): ThemeContextValue {
  const ctx = useContext(ThemeContext);
  if (!ctx) {
    throw new Error('useTheme() must be called inside <ThemeProvider>');
  }
  return ctx;
}
