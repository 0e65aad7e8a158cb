/*
 * gpl-widgets - accessible React widgets
 * Copyright (C) 2022 Free Widget Guild
 *
 * This program is free software: you can redistribute it and/or modify it under
 * the terms of the GNU General Public License as published by the Free Software
 * Foundation, either version 3 of the License, or (at your option) any later version.
 */
import { useState, type KeyboardEvent } from 'react';

export interface RatingProps {
  value?: number;
  max?: number;
  label: string;
  onChange?: (value: number) => void;
}

export function Rating({ value = 0, max = 5, label, onChange }: RatingProps) {
  const [hover, setHover] = useState<number | null>(null);
  const shown = hover ?? value;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'ArrowRight') onChange?.(Math.min(max, value + 1));
    if (event.key === 'ArrowLeft') onChange?.(Math.max(0, value - 1));
  };

  return (
    <div role="slider" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value} tabIndex={0} onKeyDown={onKeyDown}>
      {Array.from({ length: max }, (_, i) => i + 1).map((star) => (
        <span
          key={star}
          className={star <= shown ? 'star star--on' : 'star'}
          onMouseEnter={() => setHover(star)}
          onMouseLeave={() => setHover(null)}
          onClick={() => onChange?.(star)}
        >
          {star <= shown ? '★' : '☆'}
        </span>
      ))}
    </div>
  );
}
