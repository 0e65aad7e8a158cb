/*
 * gpl-widgets - accessible React widgets
 * Copyright (C) 2022 Free Widget Guild
 *
 * This program is free software: you can redistribute it and/or modify it under
 * the terms of the GNU General Public License as published by the Free Software
 * Foundation, either version 3 of the License, or (at your option) any later version.
 */
export { Rating } from './Rating';
export type { RatingProps } from './Rating';
export { Accordion } from './Accordion';
export type { AccordionItem } from './Accordion';
export { Tabs } from './Tabs';
export type { Tab } from './Tabs';
