/** What a user sees for a link that leads nowhere for them, or to something not theirs. */
export function NotFoundPage({ message }: { message?: string }) {
  return (
    <section className="rounded-lg bg-white p-6 shadow-sm" data-testid="not-found">
      <h1 className="text-lg font-semibold">Not found</h1>
      <p className="mt-1 text-sm text-slate-600">{message ?? 'There is nothing here for you. Check the link, or use the menu.'}</p>
    </section>
  );
}
