import type { ComponentChildren } from 'preact';

/** A labelled form field with the server's message for it underneath. */
export function Field(props: { id: string; label: string; error?: string | undefined; hint?: string; children: ComponentChildren; class?: string }) {
  return (
    <div class={`field${props.error ? ' field--invalid' : ''}${props.class ? ` ${props.class}` : ''}`}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && !props.error && <small id={`${props.id}-hint`} class="hint">{props.hint}</small>}
      {props.error && <small id={`${props.id}-error`} class="field-error" role="alert">{props.error}</small>}
    </div>
  );
}

/** aria attributes linking an input to its error message. */
export function invalidProps(id: string, error: string | undefined) {
  return error ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` } : {};
}
