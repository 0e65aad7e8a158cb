import React, { useMemo } from 'react';
import { type Datum, extent, linearScale, toPath } from './scale';

export interface Series {
  name: string;
  color: string;
  points: Datum[];
}

export interface LineChartProps {
  series: Series[];
  width?: number;
  height?: number;
  showLegend?: boolean;
}

export function LineChart({ series, width = 480, height = 240, showLegend = true }: LineChartProps) {
  const paths = useMemo(() => {
    const all = series.flatMap((s) => s.points.map((p) => p.value));
    const [min, max] = extent(all);
    const longest = Math.max(1, ...series.map((s) => s.points.length));
    const x = linearScale([0, longest - 1], [0, width]);
    const y = linearScale([min, max], [height, 0]);
    return series.map((s) => ({
      name: s.name,
      color: s.color,
      d: toPath(s.points.map((p, i) => [x(i), y(p.value)])),
    }));
  }, [series, width, height]);

  return (
    <figure className="line-chart">
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
        {paths.map((p) => (
          <path key={p.name} d={p.d} fill="none" stroke={p.color} strokeWidth={2} />
        ))}
      </svg>
      {showLegend && (
        <figcaption>
          {paths.map((p) => (
            <span key={p.name} style={{ color: p.color, marginRight: 12 }}>
              ● {p.name}
            </span>
          ))}
        </figcaption>
      )}
    </figure>
  );
}
