/*
 * gpl-widgets - accessible React widgets
 * Copyright (C) 2022 Free Widget Guild
 *
 * This program is free software: you can redistribute it and/or modify it under
 * the terms of the GNU General Public License as published by the Free Software
 * Foundation, either version 3 of the License, or (at your option) any later version.
 */
import React, { useRef, useState } from 'react';

export interface Tab {
  id: string;
  label: string;
  render: () => React.ReactNode;
}

export function Tabs({ tabs, initial }: { tabs: Tab[]; initial?: string }) {
  const [active, setActive] = useState(initial ?? tabs[0]?.id);
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);

  const focusTab = (index: number) => {
    const wrapped = (index + tabs.length) % tabs.length;
    setActive(tabs[wrapped].id);
    buttons.current[wrapped]?.focus();
  };

  const current = tabs.find((t) => t.id === active);

  return (
    <div className="tabs">
      <div role="tablist">
        {tabs.map((tab, i) => (
          <button
            key={tab.id}
            ref={(el) => {
              buttons.current[i] = el;
            }}
            role="tab"
            aria-selected={tab.id === active}
            tabIndex={tab.id === active ? 0 : -1}
            onClick={() => setActive(tab.id)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowRight') focusTab(i + 1);
              if (e.key === 'ArrowLeft') focusTab(i - 1);
            }}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel">{current?.render()}</div>
    </div>
  );
}
