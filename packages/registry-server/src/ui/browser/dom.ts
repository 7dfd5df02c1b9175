type Attribute = string | number | boolean | null | undefined;
type Child = Node | string | null | undefined | false | readonly Child[];

/** Builds an element; strings become text nodes, so data from the API never becomes markup. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, Attribute> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = String(value);
    else if (key === 'text') node.textContent = String(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  const append = (child: Child): void => {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) (child as readonly Child[]).forEach(append);
    else node.append(typeof child === 'string' ? document.createTextNode(child) : (child as Node));
  };
  children.forEach(append);
  return node;
}

/** The page's element with `id`, of the expected type; a missing one is a bug in the page shell. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`catalog page: #${id} is missing or not a ${type.name}`);
  return node;
}
