// `npm run loadtest -- --url http://host:port --rooms R --players K --duration S --workload lobby|play`
// Drives bots against any server (see docs/benchmarks.md): a progress line each second on stderr,
// a summary table at the end, or the result as JSON on stdout with --json.
import { parseArgs } from 'node:util';
import { WORKLOADS, type Workload } from './BotFleet.ts';
import { formatProgress, formatSummary } from './formatSummary.ts';
import { TRANSPORT_NAMES, type TransportName } from './GameTransport.ts';
import { runLoad } from './runLoad.ts';

const usage = `usage: npm run loadtest -- [options]
  --url URL             the server (default http://127.0.0.1:2567)
  --rooms R             sessions to create and fill (default 10)
  --players K           bots per room (default 8)
  --duration S          seconds the bots act once joined (default 30)
  --workload W          lobby (toggle readiness) or play (play rounds) (default lobby)
  --ready-interval MS   lobby: one readiness toggle per bot this often (default 1000)
  --move-interval MS    play: one move per bot this often (default 200)
  --maze-size N         side of the sessions' mazes (default 8 for lobby, 12 for play)
  --fog F               team or player: how the sessions' players share what they see (default: the server's, team)
  --workers N           worker processes running the bots (default 2)
  --transport T         colyseus (this server), ws or socketio (the baselines in bench/baselines) (default colyseus)
  --cpu-core N          pin the workers to this core with taskset
  --json                print the result as JSON instead of the table`;

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:2567' },
    rooms: { type: 'string', default: '10' },
    players: { type: 'string', default: '8' },
    duration: { type: 'string', default: '30' },
    workload: { type: 'string', default: 'lobby' },
    'ready-interval': { type: 'string', default: '1000' },
    'move-interval': { type: 'string', default: '200' },
    'maze-size': { type: 'string' },
    fog: { type: 'string' },
    workers: { type: 'string', default: '2' },
    transport: { type: 'string', default: 'colyseus' },
    'cpu-core': { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}
function whole(name: string, text: string | undefined, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) fail(`--${name} must be a whole number ≥ ${min}, got ${text}`);
  return value;
}

if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (!WORKLOADS.includes(values.workload as Workload)) fail(`--workload must be ${WORKLOADS.join(' or ')}`);
if (!TRANSPORT_NAMES.includes(values.transport as TransportName)) fail(`--transport must be one of ${TRANSPORT_NAMES.join(', ')}`);
const workload = values.workload as Workload;
if (values.fog !== undefined && values.fog !== 'team' && values.fog !== 'player') fail('--fog must be team or player');

const result = await runLoad({
  url: values.url.replace(/\/$/, ''),
  transport: values.transport as TransportName,
  workload,
  rooms: whole('rooms', values.rooms, 1),
  players: whole('players', values.players, 1),
  durationSeconds: whole('duration', values.duration, 1),
  intervalMs: workload === 'lobby' ? whole('ready-interval', values['ready-interval'], 10) : whole('move-interval', values['move-interval'], 10),
  mazeSize: values['maze-size'] === undefined ? (workload === 'lobby' ? 8 : 12) : whole('maze-size', values['maze-size'], 4),
  ...(values.fog === undefined ? {} : { fog: values.fog }),
  workers: whole('workers', values.workers, 1),
  cpuCore: values['cpu-core'] === undefined ? undefined : whole('cpu-core', values['cpu-core'], 0),
  onProgress: (progress) => console.error(formatProgress(progress)),
});
console.log(values.json ? JSON.stringify(result, null, 2) : formatSummary(result));
