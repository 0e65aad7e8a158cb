import { DFrame } from '@acme/dframe';

export const ThemeContext = DFrame.createContext<'light' | 'dark'>('light');

export const Badge: DFrame.FC<{ label: string }> = ({ label }) => {
  const theme = DFrame.useContext(ThemeContext);
  return <span className={`badge badge--${theme}`}>{label}</span>;
};
