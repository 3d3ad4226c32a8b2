/** Bounds on an untrusted clause: its length, how deep it nests, and how long its lists are. */
export const whereLimits = { length: 4_000, depth: 32, inItems: 500 } as const;
