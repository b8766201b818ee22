// The unit party organisations matching what is typed (name or pinyin), asked for 250 ms after the typing stops.
import { useEffect, useState } from 'react';
import { registrationApi } from '../../pages/registration/registration-api';

export function useUnitOrgs(query: string): { code: string; name: string }[] {
  const [orgs, setOrgs] = useState<{ code: string; name: string }[]>([]);
  useEffect(() => {
    const text = query.trim();
    if (!text) {
      setOrgs([]);
      return;
    }
    const timer = window.setTimeout(() => {
      registrationApi.unitOrgs(text).then((r) => setOrgs(r.items)).catch(() => setOrgs([]));
    }, 250);
    return () => window.clearTimeout(timer);
  }, [query]);
  return orgs;
}
