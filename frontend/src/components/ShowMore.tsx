/** What a list shows next: older pages from the API, or more of the rows it holds. */
export type More = { onMore: () => void; busy?: boolean } | null;

/** The button under a list that shows its next part; none when there is nothing more. */
export function ShowMore({ more, label }: { more: More; label: string }) {
  if (!more) return null;
  return (
    <button type="button" className="secondary" disabled={more.busy} onClick={more.onMore}>
      {label}
    </button>
  );
}
