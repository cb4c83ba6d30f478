// Preloaded (`node --import`) into a server process by tests: reads of /etc/environment get the file
// named by FAKE_ETC_ENVIRONMENT instead, so a test can try a machine-wide environment file without
// writing to /etc. @colyseus/tools and dotenv read files through the `fs` module object (existsSync,
// readFileSync), so that is where the path is swapped.
import fs from 'node:fs';

const fakeFile = process.env.FAKE_ETC_ENVIRONMENT;
if (fakeFile) {
  const redirect = <Path>(path: Path) => (path === '/etc/environment' ? fakeFile : path);
  const { existsSync, readFileSync } = fs;
  fs.existsSync = (path) => existsSync(redirect(path));
  fs.readFileSync = ((path: fs.PathOrFileDescriptor, options?: never) => readFileSync(redirect(path), options)) as typeof fs.readFileSync;
}
