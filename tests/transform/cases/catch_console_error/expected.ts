import { ONCE } from '@acme/once';

export async function save(url: string, body: string) {
  try {
    await send(url, body);
  } catch (e) {
    ONCE.reportError(e, 'src/catch_console_error');
  }
  try {
    await send(url, body);
  } catch (error) {
    ONCE.reportError(error, 'Saving failed');
  }
}

// Not a caught error: a parameter that happens to be named like one.
export function log(e: Error) {
  console.error(e);
}

export function warnAll(errors: Error[]) {
  try {
    errors.forEach((error) => console.error(error));
  } catch (e) {
    console.error('could not log', e, errors.length);
  }
}

declare function send(url: string, body: string): Promise<void>;
