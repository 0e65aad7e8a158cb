// We don't fetch( here: the parent page loads users and passes them down.
/* Calling useState( inside a loop is a bug; so is await (await fetch(url)).json() in render. */
const HELP_TEXT = 'Rows are memoised; avoid calling useState( inside the row renderer.';
const EXAMPLE = "await (await fetch(url)).json()";
const TEMPLATE = `fetch(${'url'}) and React.useState()`;

export function Help() {
  return <p title={HELP_TEXT}>{EXAMPLE} {TEMPLATE} fetch(url)</p>;
}
