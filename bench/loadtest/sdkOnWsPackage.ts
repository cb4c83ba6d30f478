// Imported first by the load workers: the Colyseus SDK opens its sockets with `globalThis.WebSocket`
// when there is one (Node's built-in, undici's), else with the `ws` package, and decides when it is
// loaded. Without the global it uses `ws`, the client library the baselines' bots use too, so the
// three targets are measured through the same socket code; its frame parsing also costs the load
// tool less per message than undici's (bench/results: the generator's CPU).
delete (globalThis as { WebSocket?: unknown }).WebSocket;
