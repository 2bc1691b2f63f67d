/**
 * A happy-dom window installed as the globals Preact and the components use, for one describe
 * block only (all specs share one mocha process, so the globals are removed afterwards).
 */
import { Window } from 'happy-dom';
import { act } from 'preact/test-utils';

const GLOBALS = [
  'window', 'document', 'navigator', 'location', 'history', 'sessionStorage', 'Node', 'Element', 'HTMLElement',
  'HTMLInputElement', 'HTMLSelectElement', 'HTMLFormElement', 'SVGElement', 'Event', 'KeyboardEvent', 'MouseEvent',
  'InputEvent', 'FocusEvent', 'SubmitEvent', 'CustomEvent', 'requestAnimationFrame', 'cancelAnimationFrame',
] as const;

export interface Dom {
  window: Window;
  container: HTMLElement;
}

export function useDom(url = 'http://127.0.0.1:3000/'): Dom {
  const dom = {} as Dom;
  const saved = new Map<string, PropertyDescriptor | undefined>();
  before(() => {
    dom.window = new Window({ url, width: 1024, height: 768 });
    for (const name of GLOBALS) {
      saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
      let value = (dom.window as unknown as Record<string, unknown>)[name];
      if (typeof value === 'function' && /^[a-z]/.test(name)) value = (value as (...a: unknown[]) => unknown).bind(dom.window);
      Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
    }
  });
  beforeEach(() => {
    dom.window.document.body.innerHTML = '<div id="app"></div>';
    dom.container = dom.window.document.getElementById('app') as unknown as HTMLElement;
    dom.window.location.hash = '';
  });
  after(async () => {
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
      else delete (globalThis as Record<string, unknown>)[name];
    }
    await dom.window.happyDOM.close();
  });
  return dom;
}

/** Lets pending promises settle and Preact re-render, a few rounds deep. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

/** Sets an input's value and fires `input` (and `change`) the way a user's typing would. */
export async function type(element: Element | null, value: string): Promise<void> {
  if (!element) throw new Error('no such element');
  await act(() => {
    (element as HTMLInputElement).value = value;
    element.dispatchEvent(new (globalThis as unknown as { Event: typeof Event }).Event('input', { bubbles: true }));
    element.dispatchEvent(new (globalThis as unknown as { Event: typeof Event }).Event('change', { bubbles: true }));
  });
}

export async function click(element: Element | null): Promise<void> {
  if (!element) throw new Error('no such element');
  await act(() => {
    (element as HTMLElement).click();
  });
}

/** Submits a form the way pressing Enter in a field does. */
export async function submit(form: Element | null): Promise<void> {
  if (!form) throw new Error('no such form');
  await act(() => {
    (form as HTMLFormElement).requestSubmit();
  });
}

export function byText(root: ParentNode, selector: string, text: string | RegExp): HTMLElement | null {
  for (const el of Array.from(root.querySelectorAll(selector))) {
    const content = el.textContent ?? '';
    if (typeof text === 'string' ? content.trim() === text : text.test(content)) return el as HTMLElement;
  }
  return null;
}
