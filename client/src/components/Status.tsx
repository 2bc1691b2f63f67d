/** An error with a way to try again; nothing typed is lost because forms keep their own state. */
export function ErrorPanel(props: { message: string; onRetry: () => void }) {
  return (
    <div class="error-panel" role="alert">
      <p><strong>Something went wrong.</strong> {props.message}</p>
      <button type="button" onClick={props.onRetry}>Retry</button>
    </div>
  );
}
