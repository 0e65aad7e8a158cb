/*
 * gpl-widgets - accessible React widgets
 * Copyright (C) 2022 Free Widget Guild
 *
 * This program is free software: you can redistribute it and/or modify it under
 * the terms of the GNU General Public License as published by the Free Software
 * Foundation, either version 3 of the License, or (at your option) any later version.
 */
import React, { useId, useState } from 'react';

export interface AccordionItem {
  title: string;
  content: React.ReactNode;
}

export function Accordion({ items, multiple = false }: { items: AccordionItem[]; multiple?: boolean }) {
  const [open, setOpen] = useState<Set<number>>(new Set());
  const baseId = useId();

  const toggle = (index: number) => {
    setOpen((current) => {
      const next = new Set(multiple ? current : []);
      if (current.has(index)) next.delete(index);
      else next.add(index);
      return next;
    });
  };

  return (
    <div className="accordion">
      {items.map((item, i) => {
        const expanded = open.has(i);
        const panelId = `${baseId}-panel-${i}`;
        return (
          <div key={item.title} className="accordion__item">
            <h3>
              <button aria-expanded={expanded} aria-controls={panelId} onClick={() => toggle(i)}>
                {item.title}
              </button>
            </h3>
            <div id={panelId} role="region" hidden={!expanded}>
              {item.content}
            </div>
          </div>
        );
      })}
    </div>
  );
}
