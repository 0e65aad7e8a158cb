import type { FC } from 'react';
import { useContext, createContext } from 'react';

export const ThemeContext = createContext<'light' | 'dark'>('light');

export const Badge: FC<{ label: string }> = ({ label }) => {
  const theme = useContext(ThemeContext);
  return <span className={`badge badge--${theme}`}>{label}</span>;
};
