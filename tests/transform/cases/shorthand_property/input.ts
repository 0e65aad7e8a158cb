import { useEffect, useState } from 'react';

export const hooks = { useState, useEffect, other: 1 };
