// GET /home: the caller's to-dos, each a count from the records that links to the list it counts.
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../api';

export interface HomeItem {
  key: string;
  label: string;
  count: number;
  /** the page with the filtered list */
  href: string;
  list: { path: string; query: Record<string, string> };
  hint: string | null;
}

export interface Home { role: string; roleName: string; items: HomeItem[] }

/** The caller's home, loaded once per mount (and again with `reload`). */
export function useHome(): { home: Home | null; error: string | null; reload: () => void } {
  const [home, setHome] = useState<Home | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let cancelled = false;
    api.get<Home>('/home')
      .then((h) => { if (!cancelled) { setHome(h); setError(null); } })
      .catch((e: unknown) => { if (!cancelled) setError(errorMessage(e)); });
    return () => { cancelled = true; };
  }, [generation]);
  return { home, error, reload: () => setGeneration((g) => g + 1) };
}
