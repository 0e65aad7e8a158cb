import * as React from 'react';
import { type Datum, linearScale, niceMax, ticks } from './scale';

export interface BarChartProps {
  data: Datum[];
  width?: number;
  height?: number;
  color?: string;
  onBarClick?: (datum: Datum, index: number) => void;
}

const PADDING = { top: 10, right: 10, bottom: 24, left: 36 };

export const BarChart: React.FC<BarChartProps> = ({ data, width = 400, height = 200, color = '#3b82f6', onBarClick }) => {
  const [hovered, setHovered] = React.useState<number | null>(null);
  const max = niceMax(Math.max(0, ...data.map((d) => d.value)));
  const innerW = width - PADDING.left - PADDING.right;
  const innerH = height - PADDING.top - PADDING.bottom;
  const y = linearScale([0, max], [innerH, 0]);
  const band = data.length > 0 ? innerW / data.length : 0;

  return (
    <svg width={width} height={height} role="img" aria-label="Bar chart">
      <g transform={`translate(${PADDING.left},${PADDING.top})`}>
        {ticks(max).map((t) => (
          <g key={t} transform={`translate(0,${y(t)})`}>
            <line x2={innerW} stroke="#e5e7eb" />
            <text x={-6} dy="0.32em" textAnchor="end" fontSize={10}>
              {t}
            </text>
          </g>
        ))}
        {data.map((d, i) => (
          <g key={d.label} transform={`translate(${i * band},0)`}>
            <rect
              x={band * 0.1}
              y={y(d.value)}
              width={band * 0.8}
              height={innerH - y(d.value)}
              fill={hovered === i ? '#1d4ed8' : color}
              onMouseEnter={() => setHovered(i)}
              onMouseLeave={() => setHovered(null)}
              onClick={() => onBarClick?.(d, i)}
            >
              <title>{`${d.label}: ${d.value}`}</title>
            </rect>
            <text x={band / 2} y={innerH + 16} textAnchor="middle" fontSize={11}>
              {d.label}
            </text>
          </g>
        ))}
      </g>
    </svg>
  );
};
