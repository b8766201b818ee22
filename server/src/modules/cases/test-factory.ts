/** Test helpers for the case loop: taking an action on a case through the API, as the holder of a token. */
import { expect } from 'vitest';
import type { TestContext } from '../../../../test/helpers.js';

/**
 * `act` answers the response of an action; `ok` expects 200 and answers the case page. `t` is a getter because a
 * test file opens its context in beforeAll.
 */
export function caseActions(t: () => TestContext) {
  const act = (token: string, id: number, body: Record<string, unknown>) => t().call(token, 'POST', `/api/v1/cases/${id}/actions`, body);
  const ok = async (token: string, id: number, body: Record<string, unknown>) => {
    const res = await act(token, id, body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  return { act, ok };
}
