import { DFrame } from '@acme/dframe';

export const hooks = { useState: DFrame.useState, useEffect: DFrame.useEffect, other: 1 };
