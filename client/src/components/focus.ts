/**
 * Moves keyboard focus once the page has re-rendered (Preact renders after the current task), so
 * focus lands on what the action left behind instead of falling to the document body.
 */
export function focusLater(find: () => Element | null | undefined): void {
  setTimeout(() => (find() as HTMLElement | null | undefined)?.focus(), 0);
}

/** The Edit button of an expense's row, or the list's heading when the row is gone. */
export function expenseRowTarget(id: string | null): Element | null {
  const row = id ? document.querySelector(`.expense-list > li[data-id="${id.replace(/"/g, '')}"] button.edit`) : null;
  return row ?? document.getElementById('expenses-heading');
}
