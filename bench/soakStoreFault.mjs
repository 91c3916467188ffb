// Preloaded into `ratchet run` by the chaos soak (`node --import ./bench/soakStoreFault.mjs`):
// while the file named by RATCHET_SOAK_STORE_FAULT exists, every LevelDB write fails as a full
// disk would. Production code carries no hook for it; the soak wraps the storage driver itself.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import process from 'node:process';

const flag = process.env.RATCHET_SOAK_STORE_FAULT;
if (flag !== undefined && flag !== '') {
  // The same module instance `level` loads: resolved from the project's own node_modules.
  const require = createRequire(join(process.cwd(), 'package.json'));
  const { ClassicLevel } = require('classic-level');
  const full = () =>
    Object.assign(new Error('IO error: No space left on device (injected by the soak)'), {
      code: 'LEVEL_IO_ERROR',
    });
  const batch = ClassicLevel.prototype._batch;
  const put = ClassicLevel.prototype._put;
  const del = ClassicLevel.prototype._del;
  ClassicLevel.prototype._batch = async function (operations, options) {
    if (existsSync(flag)) throw full();
    return batch.call(this, operations, options);
  };
  ClassicLevel.prototype._put = async function (key, value, options) {
    if (existsSync(flag)) throw full();
    return put.call(this, key, value, options);
  };
  ClassicLevel.prototype._del = async function (key, options) {
    if (existsSync(flag)) throw full();
    return del.call(this, key, options);
  };
}
