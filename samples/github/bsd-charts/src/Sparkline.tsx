import React from 'react';
import { extent, linearScale, toPath } from './scale';

type SparklineProps = {
  values: number[];
  width?: number;
  height?: number;
  stroke?: string;
};

export default function Sparkline({ values, width = 100, height = 24, stroke = 'currentColor' }: SparklineProps) {
  if (values.length < 2) return null;
  const [min, max] = extent(values);
  const x = linearScale([0, values.length - 1], [1, width - 1]);
  const y = linearScale([min, max], [height - 1, 1]);
  const last = values[values.length - 1];
  return (
    <svg width={width} height={height} className="sparkline">
      <path d={toPath(values.map((v, i) => [x(i), y(v)]))} fill="none" stroke={stroke} strokeWidth={1.5} />
      <circle cx={x(values.length - 1)} cy={y(last)} r={2} fill={stroke} />
    </svg>
  );
}
