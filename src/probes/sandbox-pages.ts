/** Largest page of the sandbox's /output and /dlq (its own MAX_PAGE). */
export const PAGE = 10_000;
/** Most pages one poll reads (a poll stays bounded; the next one goes on from its cursor). */
const MAX_PAGES = 100;

/** One page of a sandbox log (`GET /output`, `GET /dlq`). */
export interface SandboxPage<T> {
  items: T[];
  nextCursor: number;
  /** Entries the sandbox's ring dropped before they were read. */
  missed: number;
}

/** The cursor after what a sandbox log already holds (`path` is /output or /dlq): a run reads from there on. */
export async function endCursor(baseUrl: string, path: string): Promise<number> {
  const res = await fetch(`${baseUrl}${path}?cursor=${Number.MAX_SAFE_INTEGER}&limit=1`, { signal: AbortSignal.timeout(5_000) });
  return ((await res.json()) as SandboxPage<unknown>).nextCursor;
}

/** Reads a sandbox log from `cursor` page by page (at most MAX_PAGES), hands each page to `take`, and returns the cursor to go on from. */
export async function readPages<T>(baseUrl: string, path: string, cursor: number, signal: AbortSignal, take: (page: SandboxPage<T>) => void): Promise<number> {
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const res = await fetch(`${baseUrl}${path}?cursor=${cursor}&limit=${PAGE}`, { signal });
    const page = (await res.json()) as SandboxPage<T>;
    take(page);
    cursor = page.nextCursor;
    if (page.items.length < PAGE) break;
  }
  return cursor;
}
