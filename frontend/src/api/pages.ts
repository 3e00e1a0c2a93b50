// A list the API pages with `next_cursor` (uploads, alerts, meters), a page at a time, from the
// generated infinite query options.
import {
  useInfiniteQuery,
  type InfiniteData,
  type QueryKey,
  type UseInfiniteQueryOptions,
} from '@tanstack/react-query';
import type { More } from '../components/ShowMore';

type Page<Item> = { items: Item[]; next_cursor: string | null };

export function usePages<Item, Failure, Key extends QueryKey, Cursor>(
  options: UseInfiniteQueryOptions<Page<Item>, Failure, InfiniteData<Page<Item>>, Key, Cursor>,
) {
  const query = useInfiniteQuery({
    ...options,
    // The generated query reads a string as the `cursor` to send and an object as changes to
    // the first page's request: none for the first page, then each page's next cursor.
    initialPageParam: {} as Cursor,
    getNextPageParam: (page) => page.next_cursor as Cursor | null,
  });
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  const more: More = query.hasNextPage
    ? { onMore: () => void query.fetchNextPage(), busy: query.isFetchingNextPage }
    : null;
  return { query, items, more };
}
