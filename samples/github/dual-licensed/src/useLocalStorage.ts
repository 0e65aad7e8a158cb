// Dual licensed under MIT or GPL-3.0; pick whichever suits your project.
import { useCallback, useEffect, useState } from 'react';

type Serializer<T> = {
  read: (raw: string) => T;
  write: (value: T) => string;
};

const json: Serializer<any> = { read: JSON.parse, write: JSON.stringify };

export function useLocalStorage<T>(key: string, initialValue: T, serializer: Serializer<T> = json) {
  const [value, setValue] = useState<T>(() => {
    try {
      const raw = window.localStorage.getItem(key);
      return raw === null ? initialValue : serializer.read(raw);
    } catch {
      return initialValue;
    }
  });

  useEffect(() => {
    try {
      window.localStorage.setItem(key, serializer.write(value));
    } catch (error) {
      console.warn(`useLocalStorage: could not persist "${key}"`, error);
    }
  }, [key, value, serializer]);

  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === key && event.newValue !== null) setValue(serializer.read(event.newValue));
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [key, serializer]);

  const clear = useCallback(() => {
    window.localStorage.removeItem(key);
    setValue(initialValue);
  }, [key, initialValue]);

  return [value, setValue, clear] as const;
}
