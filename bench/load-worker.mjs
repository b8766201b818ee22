// The load of bench/load.ts from a worker thread, so that the client does not take the event loop of the server it
// measures (pgbench, the baseline, is a process of its own too). Requests are given up front and cycled.
import { parentPort, workerData } from 'node:worker_threads';
import { closedLoop } from './load-loop.mjs';

const { port, concurrency, seconds, requests } = workerData;
let next = 0;
parentPort.postMessage(await closedLoop(port, concurrency, seconds, () => requests[next++ % requests.length]));
