export async function save(url: string, body: string) {
  try {
    await send(url, body);
  } catch (e) {
    console.error(e);
  }
  try {
    await send(url, body);
  } catch (error) {
    console.error('Saving failed', error);
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
