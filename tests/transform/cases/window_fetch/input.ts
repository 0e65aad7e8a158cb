export async function loadTheme() {
  return await (await window.fetch('/api/theme')).json();
}

export async function loadLocale() {
  return await (await globalThis.fetch('/api/locale')).json();
}
