import { Button } from '@/modules/ui/components/Button';

type Props = { cursor: string | null; next: string | null; onPage: (cursor: string | null) => void };

/** Keyset paging: the first page, or the next one after this page's last row. */
export function PageLinks({ cursor, next, onPage }: Props) {
  if (!cursor && !next) return null;
  return (
    <div className="flex gap-2">
      <Button disabled={!cursor} onClick={() => onPage(null)}>
        First page
      </Button>
      <Button disabled={!next} onClick={() => onPage(next)}>
        Next page
      </Button>
    </div>
  );
}
