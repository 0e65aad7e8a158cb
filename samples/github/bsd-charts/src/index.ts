export { BarChart } from './BarChart';
export type { BarChartProps } from './BarChart';
export { LineChart } from './LineChart';
export type { LineChartProps, Series } from './LineChart';
export { default as Sparkline } from './Sparkline';
export * from './scale';
