// The page's element lookup: every id the scripts use must exist in index.html,
// so a missing one is an error naming it rather than a null used later.
export const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page is missing #${id}`);
  return el as T;
};
