/**
 * A table body whose rows are kept by key and updated in place, so keyboard focus survives an
 * update: `show(items)` removes the rows of keys no longer there, makes rows for new keys, fills
 * every row and puts them in the items' order.
 */
export function keyedRows<Item>(
  body: HTMLElement,
  row: { keyOf: (item: Item) => string; create: (key: string) => HTMLTableRowElement; fill: (row: HTMLTableRowElement, item: Item) => void },
): (items: Item[]) => void {
  const shown = new Map<string, HTMLTableRowElement>();
  return (items) => {
    const current = new Set(items.map(row.keyOf));
    for (const [key, element] of shown) {
      if (!current.has(key)) {
        element.remove();
        shown.delete(key);
      }
    }
    items.forEach((item, index) => {
      const key = row.keyOf(item);
      const element = shown.get(key) ?? row.create(key);
      shown.set(key, element);
      row.fill(element, item);
      if (body.children[index] !== element) body.insertBefore(element, body.children[index] ?? null);
    });
  };
}
