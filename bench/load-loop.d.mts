export function closedLoop(port: number, concurrency: number, seconds: number,
  next: () => { method: string; path: string; body?: string; headers?: Record<string, string> }): Promise<{ latencies: number[]; errors: number; seconds: number }>;
